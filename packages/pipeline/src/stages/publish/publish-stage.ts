/**
 * publish: Instagram posting as SQS steps — create container → check (again with a growing delay)
 * → publish → permalink (`container-steps.ts`, `publish-steps.ts`). Each step is idempotent; one
 * photo gives exactly one `media_publish`. Instagram's "later" answers (not ready, slow down, the
 * day's posts are spent, start over with a new container) hand the step on again instead of
 * failing; every other error goes to the stage runner.
 */
import type { Logger } from "@photo-relay/core";
import { GraphApiError, maxDeferSeconds } from "@photo-relay/instagram";
import { type PublishJob, parseJob, publishJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult } from "../../jobs/next-jobs.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import { runtimeOnly, type Stage, StepContext } from "../../stage-runner.ts";
import { checkStep, createStep } from "./container-steps.ts";
import { parkIfHeld } from "./publish-hold.ts";
import { recordPublishMedia } from "./publish-media.ts";
import type { PublishRuntime } from "./publish-runtime.ts";
import { fetchPermalink, publishStep } from "./publish-steps.ts";
import { joinQuotaLine } from "./quota-line.ts";
import { checkDelay, later, limitWait, markWaiting, throttleDelay } from "./waiting.ts";

export const publishStage: Stage<PublishJob, PublishRuntime> = {
  name: "publish",
  jobsOf: (body) => [parseJob(publishJob, body, "publish")],
  photoOf: (job) => job.photoId,
  openBatch: runtimeOnly,
  run: (rt, job, step) => runPublishStep(rt, job, step),
};

type Step = (
  rt: PublishRuntime,
  photo: PhotoRecord,
  job: PublishJob,
  step: StepContext,
) => Promise<StageResult>;
const STEPS: Record<Exclude<PublishJob["step"], "permalink">, Step> = {
  create: createStep,
  check: checkStep,
  publish: publishStep,
};

/**
 * Runs one publish step for one photo. A finished photo ignores every step but `permalink`; an
 * item of another photo's carousel ignores them all; a photo the owner holds waits, parked
 * (`publish-hold.ts`).
 */
export async function runPublishStep(
  rt: PublishRuntime,
  job: PublishJob,
  step = new StepContext(rt.logger, job.photoId),
): Promise<StageResult> {
  const photo =
    job.media && job.step === "create"
      ? await recordPublishMedia(rt, job.photoId, job.media)
      : await rt.photos.require(job.photoId);
  const { status, mediaId } = photo.stages.publish;
  if (status === "skipped") return finished();
  if (status === "done" || mediaId) {
    if (job.step === "permalink") await fetchPermalink(rt, photo, step.log);
    return finished();
  }
  if (job.step === "permalink") return finished();
  if (await parkIfHeld(rt, photo, step.log)) return finished();
  // A token Instagram refused stops publishing here, without asking again for every photo.
  const refusal = await rt.tokens.refusal();
  if (refusal) throw refusal;
  try {
    return await STEPS[job.step](rt, photo, job, step);
  } catch (error) {
    const deferred = error instanceof GraphApiError && (await deferOn(rt, job, error, step.log));
    if (deferred) return deferred;
    throw error;
  }
}

/** Instagram answers that mean "later" or "start over": the step is handed on again, the photo waits. */
async function deferOn(
  rt: PublishRuntime,
  job: PublishJob,
  error: GraphApiError,
  log: Logger,
): Promise<StageResult | undefined> {
  switch (error.kind) {
    case "not_ready":
      await markWaiting(rt, job.photoId);
      return later({ ...job, step: "check" }, checkDelay(rt, job.checks));
    case "quota_spent": {
      // Past the quota's line, code 9 on `create` is the container limit (400 a day; Meta's code
      // is unconfirmed, the sandbox answers 9): the publishing quota's gate reads open, so joining
      // its line would only block the photos that have containers. The container window frees
      // over hours: one look per longest hop, not the line's short ones.
      if (job.step === "create") {
        const delaySeconds = maxDeferSeconds(rt.config.instagram);
        log.warn("Instagram refuses more containers for now; deferring", { delaySeconds });
        await markWaiting(rt, job.photoId, { waitingFor: limitWait(rt, "containers", delaySeconds) });
        return later(job, delaySeconds);
      }
      // The gate read open but the post did not fit (another consumer took the slot): back in line.
      log.warn("Instagram says the day's posts are spent; deferring");
      const delaySeconds = await joinQuotaLine(rt, await rt.photos.require(job.photoId));
      await markWaiting(rt, job.photoId, { waitingFor: limitWait(rt, "quota", delaySeconds) });
      return later(job, delaySeconds);
    }
    case "rate_limited": {
      const throttled = (job.throttled ?? 0) + 1;
      const delaySeconds = throttleDelay(rt, throttled, error.retryAfterSeconds);
      log.warn("Instagram says slow down; deferring", {
        retryAfterSeconds: error.retryAfterSeconds,
        throttled,
        delaySeconds,
      });
      await markWaiting(rt, job.photoId, { waitingFor: limitWait(rt, "calls", delaySeconds) });
      return later(job, delaySeconds, throttled);
    }
    case "container_invalid":
      if (!error.recreateContainer) return undefined;
      await markWaiting(rt, job.photoId, { dropContainer: true });
      return later({ ...job, step: "create" }, 0);
    default:
      return undefined;
  }
}
