/**
 * The first two publish steps: `create` the photo's container (after the burst gate, the
 * manual-mode approval and the quota's line; the first recorded container wins) and, for an image, wait
 * a moment in the step for Meta to process it (`ready-wait.ts`); then `check` it until Instagram has
 * processed it, with a growing delay and a deadline.
 */
import { ContainerFailedError, type ContainerStatus } from "@photo-relay/instagram";
import { settleFrame } from "../../bursts/burst-decision.ts";
import { NotReadyError } from "../../errors.ts";
import type { PublishJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult, toPublish } from "../../jobs/next-jobs.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import { setStage, setStageOnce } from "../../photo/stage-transitions.ts";
import type { StepContext } from "../../stage-runner.ts";
import { captionFor } from "./caption-source.ts";
import { createMediaContainer, publishMediaOf, withoutContainers } from "./publish-media.ts";
import type { PublishRuntime } from "./publish-runtime.ts";
import { markPublished } from "./publish-steps.ts";
import { quotaTurn } from "./quota-line.ts";
import { statusWithinStep } from "./ready-wait.ts";
import { checkDelay, later, limitWait, markWaiting } from "./waiting.ts";

export async function createStep(
  rt: PublishRuntime,
  photo: PhotoRecord,
  job: PublishJob,
  step: StepContext,
): Promise<StageResult> {
  const { log } = step;
  if (photo.stages.convert.status !== "done") throw new NotReadyError("convert");
  // A frame of a burst goes on only as one of its picks, once the burst has settled.
  if (photo.burst?.role === "open") {
    const { verdict } = await settleFrame(rt, photo);
    if (verdict.role === "open") {
      await markWaiting(rt, photo.id);
      return later(job, verdict.settlesInSeconds);
    }
    if (verdict.role === "alternate") {
      log.info("not the best of its burst; not posted", { burst: photo.burst.id, picks: verdict.picks });
      return finished();
    }
  }
  const stage = photo.stages.publish;
  if (rt.config.instagram.mode === "manual" && !stage.approved) {
    await rt.photos.update(photo.id, setStage("publish", { status: "awaiting_approval" }, {}, rt.now()));
    log.info("awaiting approval");
    return finished();
  }
  let containerId = stage.containerId;
  if (!containerId) {
    // No container while the quota is spent: it would expire unpublished after 24 h, and
    // containers have their own limit (400 a day).
    const turn = await quotaTurn(rt, photo, log);
    if (!turn.go) {
      await markWaiting(rt, photo.id, { waitingFor: limitWait(rt, "quota", turn.delaySeconds) });
      return later(job, turn.delaySeconds);
    }
    const created = await createMediaContainer(rt, photo, await captionFor(rt, photo, log));
    if (created === "later") {
      await markWaiting(rt, photo.id);
      return later(job, checkDelay(rt, 0));
    }
    containerId = await recordContainer(rt, photo.id, created.id);
    log.info("container created", { containerId });
  }
  const status = await statusWithinStep(rt, containerId, publishMediaOf(photo), step);
  if (status) return afterStatus(rt, photo, containerId, status, 0);
  return finished(toPublish({ photoId: photo.id, step: "check", checks: 0 }, checkDelay(rt, 0)));
}

/**
 * A concurrent consumer may have created one too; the first recorded container wins, the other
 * expires unused. Returns the recorded one.
 */
async function recordContainer(rt: PublishRuntime, id: string, containerId: string): Promise<string> {
  const now = rt.now();
  const photo = await rt.photos.update(
    id,
    setStageOnce(
      "publish",
      "containerId",
      (stage) => ({
        status: "waiting",
        containerId,
        containerCreatedAt: now.toISOString(),
        attempts: stage.attempts + 1,
      }),
      now,
    ),
  );
  return photo.stages.publish.containerId ?? containerId;
}

export async function checkStep(
  rt: PublishRuntime,
  photo: PhotoRecord,
  job: PublishJob,
  step: StepContext,
): Promise<StageResult> {
  const { containerId } = photo.stages.publish;
  if (!containerId) return finished(toPublish({ photoId: photo.id, step: "create", checks: 0 }));
  const status = await rt.graph.getContainerStatus(containerId);
  step.log.info("container status", { containerId, statusCode: status.statusCode, checks: job.checks });
  return afterStatus(rt, photo, containerId, status, job.checks);
}

/** What follows a container status: publish, a new container, another check later, or a failure. */
async function afterStatus(
  rt: PublishRuntime,
  photo: PhotoRecord,
  containerId: string,
  { statusCode, status }: ContainerStatus,
  checks: number,
): Promise<StageResult> {
  const next = (step: PublishJob["step"], checks: number, delay = 0) =>
    finished(toPublish({ photoId: photo.id, step, checks }, delay));
  switch (statusCode) {
    case "FINISHED":
      return next("publish", checks);
    case "PUBLISHED":
      await markPublished(rt, photo.id, undefined);
      return finished();
    case "EXPIRED":
      // Unpublished for 24 h (e.g. waiting for approval): a fresh container starts over.
      await rt.photos.update(photo.id, (p) => ({
        ...p,
        stages: { ...p.stages, publish: { ...withoutContainers(p.stages.publish), status: "pending" } },
      }));
      return next("create", 0);
    case "ERROR":
      throw new ContainerFailedError(
        `Instagram could not process the image: ${status ?? "no reason given"}`,
        containerId,
      );
    case "IN_PROGRESS": {
      const createdAt = photo.stages.publish.containerCreatedAt ?? photo.updatedAt;
      const age = (rt.now().getTime() - Date.parse(createdAt)) / 1000;
      if (age > rt.config.instagram.checkDeadlineSeconds) {
        throw new ContainerFailedError(`container still processing after ${Math.round(age)} s`, containerId);
      }
      return next("check", checks + 1, checkDelay(rt, checks + 1));
    }
  }
}
