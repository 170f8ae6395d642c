/**
 * The web-host sessions of one mirror invocation: one per target, opened on first use and shared
 * by every record of the batch (a batch of photos goes over one connection, not one per file),
 * closed when the batch ends.
 */
import { ConfigError, type MirrorTarget } from "@photo-relay/core";
import { type MirrorSession, openSession } from "@photo-relay/mirror";
import type { Runtime } from "../../runtime.ts";
import { mirrorRecordBudgetSeconds, STAGE_SETTINGS } from "../../settings.ts";
import type { Batch } from "../../stage-runner.ts";

export interface MirrorSessions {
  /** The batch's session to `target`. */
  open(target: MirrorTarget): MirrorSession;
}

/** What the mirror stage works with: the runtime and the batch's sessions. */
export interface MirrorRuntime extends Runtime {
  sessions: MirrorSessions;
}

export function openMirrorBatch(rt: Runtime): Batch<MirrorRuntime> {
  const budget = mirrorRecordBudgetSeconds(rt.config.mirror.targets);
  if (budget > STAGE_SETTINGS.mirror.timeoutSeconds)
    throw new ConfigError([
      `mirror.targets: one photo may take ${budget} s (each transport up to its timeoutMs), more than the ${STAGE_SETTINGS.mirror.timeoutSeconds} s the mirror function may run; lower timeoutMs or use fewer transports`,
    ]);
  const open = new Map<string, MirrorSession>();
  const sessions: MirrorSessions = {
    open(target) {
      let session = open.get(target.name);
      if (!session) {
        session = openSession(target, { logger: rt.logger, s3: rt.clients.s3 });
        open.set(target.name, session);
      }
      return session;
    },
  };
  return {
    scope: { ...rt, sessions },
    close: async () => {
      await Promise.allSettled([...open.values()].map((s) => s.close()));
    },
  };
}
