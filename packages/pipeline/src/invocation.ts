/**
 * Resources that live for one handler invocation (one SQS batch): a mirror session per target, so
 * a batch of photos goes over one connection to the web host, not one per file.
 */

import type { MirrorTarget } from "@photo-relay/core";
import { type MirrorSession, openSession } from "@photo-relay/mirror";
import type { Runtime } from "./runtime.ts";

/** How the mirror stage gets a session: `open` one, `release` it when the photo is done. */
export interface MirrorSessions {
  open(target: MirrorTarget): MirrorSession;
  release(session: MirrorSession): Promise<void>;
}

/** Outside an invocation: a session per photo. */
export function sessionPerCall(rt: Pick<Runtime, "logger" | "clients">): MirrorSessions {
  return {
    open: (target) => openSession(target, { logger: rt.logger, s3: rt.clients.s3 }),
    release: (session) => session.close(),
  };
}

/** A runtime scoped to one invocation, and the function that closes what it opened. */
export function beginInvocation(rt: Runtime): { rt: Runtime; end(): Promise<void> } {
  const open = new Map<string, MirrorSession>();
  const mirrorSessions: MirrorSessions = {
    open(target) {
      let session = open.get(target.name);
      if (!session) {
        session = openSession(target, { logger: rt.logger, s3: rt.clients.s3 });
        open.set(target.name, session);
      }
      return session;
    },
    release: async () => {},
  };
  return {
    rt: { ...rt, mirrorSessions },
    end: async () => {
      await Promise.allSettled([...open.values()].map((s) => s.close()));
    },
  };
}
