/**
 * What one mirror invocation shares between its records: the web-host sessions, one per target,
 * opened on first use (a batch of photos goes over one connection, not one per file) and closed
 * when the batch ends; and its live galleries, updated once for all the batch's photos.
 */
import { ConfigError, type MirrorTarget } from "@photo-relay/core";
import { type MirrorSession, openSession } from "@photo-relay/mirror";
import { GalleryRoster } from "../../gallery/gallery-roster.ts";
import { type MirrorJob, mirrorJob, parseJob } from "../../jobs/job-schemas.ts";
import type { Runtime } from "../../runtime.ts";
import { mirrorRecordBudgetSeconds, STAGE_SETTINGS } from "../../settings.ts";
import type { Batch } from "../../stage-runner.ts";
import { BatchGalleries } from "./batch-galleries.ts";

export interface MirrorSessions {
  /** The batch's session to `target`. */
  open(target: MirrorTarget): MirrorSession;
}

/** What the mirror stage works with: the runtime, the batch's sessions and its galleries. */
export interface MirrorRuntime extends Runtime {
  sessions: MirrorSessions;
  galleries: BatchGalleries;
}

/** `bodies`: the batch's messages, so that its galleries are updated once for all of them. */
export function openMirrorBatch(rt: Runtime, bodies: readonly string[] = []): Batch<MirrorRuntime> {
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
  const roster = new GalleryRoster({ db: rt.clients.dynamo, table: rt.config.dynamodb.table });
  const galleries = new BatchGalleries(rt, sessions, roster, bodies.flatMap(readableJob));
  return {
    scope: { ...rt, sessions, galleries },
    close: async () => {
      await Promise.allSettled([...open.values()].map((s) => s.close()));
    },
  };
}

/** A message the runner will report as unreadable is left out here. */
function readableJob(body: string): MirrorJob[] {
  try {
    return [parseJob(mirrorJob, body, "mirror")];
  } catch {
    return [];
  }
}
