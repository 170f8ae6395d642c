/**
 * The publish stage waits — for Instagram to process a container, for the quota to free up, for a
 * call-rate limit to lift, for another consumer's lease — by handing its own queue the step again,
 * with a delay. The photo's publish stage then reads `waiting`; the error of an earlier attempt is
 * history.
 */
import { backoffDelay, type PhotoId } from "@photo-relay/core";
import type { PublishJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult, toPublish } from "../../jobs/next-jobs.ts";
import type { PublishStage } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";

/** The step again, after `delaySeconds`; `throttled` only when a call-rate limit is why. */
export const later = (job: PublishJob, delaySeconds: number, throttled?: number): StageResult =>
  finished(
    toPublish(
      { photoId: job.photoId, step: job.step, checks: job.checks, ...(throttled && { throttled }) },
      delaySeconds,
    ),
  );

/**
 * The delay after call-rate limit number `throttled` in a row: when Meta says access returns
 * (`retryAfterSeconds`, from `estimated_time_to_regain_access`), then, spread by up to
 * `redelivery.baseSeconds` so a throttled burst does not come back in the same second; else the
 * redelivery backoff (`redelivery.baseSeconds` doubling up to `maxSeconds`, jittered). A call-rate
 * limit lifts within minutes, unlike the day's publishing quota, whose deferral it must not share.
 */
export function throttleDelay(
  rt: Runtime,
  throttled: number,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  const { baseSeconds, maxSeconds } = rt.config.redelivery;
  if (retryAfterSeconds !== undefined) return retryAfterSeconds + Math.round(random() * baseSeconds);
  const ms = backoffDelay(throttled, { baseMs: baseSeconds * 1000, maxMs: maxSeconds * 1000, random });
  return Math.max(1, Math.round(ms / 1000));
}

/** The delay before status check number `checks` (`instagram.checkDelaysSeconds`; the last one repeats). */
export function checkDelay(rt: Runtime, checks: number): number {
  const delays = rt.config.instagram.checkDelaysSeconds;
  return delays[Math.min(checks, delays.length - 1)] ?? 60;
}

/** Which of Instagram's limits a wait of `delaySeconds` is for, and when the step looks again. */
export const limitWait = (
  rt: Runtime,
  limit: NonNullable<PublishStage["waitingFor"]>["limit"],
  delaySeconds: number,
): NonNullable<PublishStage["waitingFor"]> => ({
  limit,
  until: new Date(rt.now().getTime() + delaySeconds * 1000).toISOString(),
});

/**
 * Marks the photo's publish stage `waiting` (no lease, no last error); `dropContainer` forgets a
 * container Instagram no longer has, so the next `create` makes a new one; `waitingFor` names the
 * limit waited for (any other wait drops it).
 */
export async function markWaiting(
  rt: Runtime,
  id: PhotoId,
  options: { dropContainer?: boolean; waitingFor?: PublishStage["waitingFor"] } = {},
): Promise<void> {
  await rt.photos.update(id, (p) => {
    if (p.stages.publish.status === "done") return undefined;
    const { lastError: _, waitingFor: _w, ...rest } = p.stages.publish;
    const stage: PublishStage = options.dropContainer ? withoutContainer(rest) : rest;
    const publish: PublishStage = {
      ...stage,
      status: "waiting",
      leaseUntil: 0,
      updatedAt: rt.now().toISOString(),
      ...(options.waitingFor && { waitingFor: options.waitingFor }),
    };
    return { ...p, stages: { ...p.stages, publish } };
  });
}

function withoutContainer(stage: PublishStage): PublishStage {
  const { containerId: _id, containerCreatedAt: _at, ...rest } = stage;
  return rest;
}
