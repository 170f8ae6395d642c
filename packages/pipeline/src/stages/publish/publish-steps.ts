/**
 * The last two publish steps: `publish` the processed container exactly once, and read the post's
 * `permalink`. A lease on the photo record keeps two consumers from publishing at once, and the
 * container's own PUBLISHED state covers a consumer that crashed between `media_publish` and
 * recording it: whoever comes next counts it as done.
 */
import type { Logger, PhotoId } from "@photo-relay/core";
import type { PublishJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult, toPublish } from "../../jobs/next-jobs.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import { setStage } from "../../photo/stage-transitions.ts";
import type { StepContext } from "../../stage-runner.ts";
import { isHeld } from "./publish-hold.ts";
import type { PublishRuntime } from "./publish-runtime.ts";
import { quotaTurn } from "./quota-line.ts";
import { later, limitWait, markWaiting } from "./waiting.ts";

const LEASE_MS = 60_000;

export async function publishStep(
  rt: PublishRuntime,
  photo: PhotoRecord,
  job: PublishJob,
  { log }: StepContext,
): Promise<StageResult> {
  const containerId = photo.stages.publish.containerId;
  const next = (step: PublishJob["step"], delay = 0) =>
    finished(toPublish({ photoId: photo.id, step, checks: 0 }, delay));
  if (!containerId) return next("create");
  const lease = await takeLease(rt, photo.id);
  if (lease === "published") return finished();
  // Another consumer is publishing: this step comes back shortly and finds the outcome.
  if (lease === "held") return later(job, rt.config.redelivery.baseSeconds);

  let published = false;
  try {
    // A crash after media_publish but before we recorded it leaves the container PUBLISHED: done.
    const { statusCode } = await rt.graph.getContainerStatus(containerId);
    if (statusCode === "PUBLISHED") {
      await markPublished(rt, photo.id, undefined);
      published = true;
      return finished();
    }
    if (statusCode !== "FINISHED") return next("check");
    const turn = await quotaTurn(rt, photo, log);
    if (!turn.go) {
      // Waiting drops the lease, so the release below finds nothing left to release.
      await markWaiting(rt, photo.id, { waitingFor: limitWait(rt, "quota", turn.delaySeconds) });
      return next("publish", turn.delaySeconds);
    }
    const { mediaId } = await rt.graph.publish(containerId);
    await markPublished(rt, photo.id, mediaId);
    published = true;
    log.info("published", { mediaId });
    return next("permalink");
  } finally {
    // Whoever comes next re-reads the container first, so releasing is safe even after an
    // ambiguous failure of media_publish itself.
    if (!published) await releaseLease(rt, photo.id, lease);
  }
}

/** The lease's expiry (ms since epoch), or why there is none: published already, or held by another consumer. */
async function takeLease(rt: PublishRuntime, id: PhotoId): Promise<number | "published" | "held"> {
  const leaseUntil = rt.now().getTime() + LEASE_MS;
  let held = false;
  const photo = await rt.photos.update(id, (p) => {
    const stage = p.stages.publish;
    held = false;
    // `skipped`: the owner, or its burst, took the photo out of publishing since this step began.
    if (stage.mediaId || stage.status === "done" || stage.status === "skipped") return undefined;
    // The owner's hold keeps the lease from anyone: the step comes back and parks.
    if ((stage.leaseUntil ?? 0) > rt.now().getTime() || isHeld(p)) {
      held = true;
      return undefined;
    }
    return setStage("publish", { leaseUntil, status: "running" }, {}, rt.now())(p);
  });
  if (held) return "held";
  return photo.stages.publish.leaseUntil === leaseUntil ? leaseUntil : "published";
}

async function releaseLease(rt: PublishRuntime, id: PhotoId, leaseUntil: number): Promise<void> {
  await rt.photos.update(id, (p) =>
    p.stages.publish.leaseUntil === leaseUntil && !p.stages.publish.mediaId
      ? setStage("publish", { leaseUntil: 0, status: "waiting" }, {}, rt.now())(p)
      : undefined,
  );
}

/**
 * Marks the photo published, once. `mediaId` undefined: the container was found PUBLISHED with no
 * answer recorded (see {@link PUBLISHED_UNRECORDED}); the stage then says why it names no post, and
 * a later call with the id (the slow consumer's own answer) still records it.
 */
export async function markPublished(
  rt: PublishRuntime,
  id: PhotoId,
  mediaId: string | undefined,
): Promise<void> {
  const now = rt.now();
  await rt.photos.update(id, (p) => {
    const { mediaId: recorded, mediaIdUnknown } = p.stages.publish;
    if (recorded || (!mediaId && mediaIdUnknown)) return undefined;
    const { mediaIdUnknown: _dropped, ...stage } = p.stages.publish;
    const publish = {
      ...stage,
      status: "done",
      leaseUntil: 0,
      publishedAt: now.toISOString(),
      ...(mediaId ? { mediaId } : { mediaIdUnknown: PUBLISHED_UNRECORDED }),
      updatedAt: now.toISOString(),
    } as const;
    return { ...p, stages: { ...p.stages, publish } };
  });
}

/**
 * A post whose id was never recorded: Meta's container answers `PUBLISHED` but names no media, and
 * the account's media name no container, so the id cannot be looked up afterwards without guessing
 * (by caption and time, wrong as soon as two photos post at once).
 */
export const PUBLISHED_UNRECORDED = {
  code: "published_unrecorded",
  message:
    "Instagram shows this photo's container published by an attempt whose answer was lost (its consumer ended between media_publish and recording it); Instagram does not say which post it became",
} as const;

/** The permalink is a nicety: failing to read it never fails the photo. */
export async function fetchPermalink(rt: PublishRuntime, photo: PhotoRecord, log: Logger): Promise<void> {
  const { mediaId, permalink } = photo.stages.publish;
  if (!mediaId || permalink) return;
  try {
    const media = await rt.graph.getMedia(mediaId);
    if (media.permalink) {
      await rt.photos.update(photo.id, setStage("publish", { permalink: media.permalink }, {}, rt.now()));
    }
  } catch (error) {
    log.warn("could not read the permalink", { error });
  }
}
