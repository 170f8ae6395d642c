/**
 * The publish stage waits — for Instagram to process a container, for the quota to free up, for
 * another consumer's lease — by handing its own queue the step again, with a delay. The photo's
 * publish stage then reads `waiting`; the error of an earlier attempt is history.
 */
import type { PhotoId } from "@photo-relay/core";
import type { PublishJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult, toPublish } from "../../jobs/next-jobs.ts";
import type { PublishStage } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";

/** The step again, after `delaySeconds`. */
export const later = (job: PublishJob, delaySeconds: number): StageResult =>
  finished(toPublish({ photoId: job.photoId, step: job.step, checks: job.checks }, delaySeconds));

/** The delay before status check number `checks` (`instagram.checkDelaysSeconds`; the last one repeats). */
export function checkDelay(rt: Runtime, checks: number): number {
  const delays = rt.config.instagram.checkDelaysSeconds;
  return delays[Math.min(checks, delays.length - 1)] ?? 60;
}

/**
 * Marks the photo's publish stage `waiting` (no lease, no last error); `dropContainer` forgets a
 * container Instagram no longer has, so the next `create` makes a new one.
 */
export async function markWaiting(
  rt: Runtime,
  id: PhotoId,
  options: { dropContainer?: boolean } = {},
): Promise<void> {
  await rt.photos.update(id, (p) => {
    if (p.stages.publish.status === "done") return undefined;
    const { lastError: _, ...rest } = p.stages.publish;
    const stage: PublishStage = options.dropContainer ? withoutContainer(rest) : rest;
    const publish: PublishStage = {
      ...stage,
      status: "waiting",
      leaseUntil: 0,
      updatedAt: rt.now().toISOString(),
    };
    return { ...p, stages: { ...p.stages, publish } };
  });
}

function withoutContainer(stage: PublishStage): PublishStage {
  const { containerId: _id, containerCreatedAt: _at, ...rest } = stage;
  return rest;
}
