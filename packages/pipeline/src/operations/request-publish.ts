/** Manual publishing: "publish now" for one photo, or for everything awaiting approval. */
import { NotFoundError, type PhotoId } from "@photo-relay/core";
import { InstagramRefusedError, RequestRefusedError } from "../errors.ts";
import { publishesFromMirror } from "../jobs/photo-route.ts";
import type { PhotoRecord } from "../photo/photo-record.ts";
import { isFinished, setStage } from "../photo/stage-transitions.ts";
import type { Runtime } from "../runtime.ts";
import type { PublishRuntime } from "../stages/publish/publish-runtime.ts";

export type PublishRequestOutcome = "published" | "queued" | "ignored";

/**
 * Approves a photo for Instagram and queues its publish steps. A photo already published is
 * ignored (never posted twice); one whose conversion failed (a refused file, a forged upload) or
 * that Instagram's rules refuse cannot be published. A photo that is published from the mirror and
 * not mirrored yet is only approved: mirror hands it on when done.
 */
export async function requestPublish(rt: Runtime, id: PhotoId): Promise<PublishRequestOutcome> {
  const photo = await rt.photos.get(id);
  if (!photo) throw new NotFoundError(`photo ${id}`);
  if (photo.rejection || photo.quarantine) throw new RequestRefusedError("not_publishable");
  const { mediaId, status } = photo.stages.publish;
  // `skipped`: an item of another photo's carousel, posted with it.
  if (mediaId || status === "done" || status === "skipped") return "ignored";
  const refusal = photo.instagramRefusal;
  if (refusal) throw new InstagramRefusedError(refusal.code, refusal.reason);
  if (photo.stages.convert.status === "failed") throw new RequestRefusedError("not_publishable");
  const approved = await rt.photos.update(id, (p: PhotoRecord) =>
    p.stages.publish.mediaId || p.stages.publish.status === "skipped"
      ? undefined
      : setStage(
          "publish",
          { approved: true, status: p.stages.publish.status === "running" ? "running" : "pending" },
          {},
          rt.now(),
        )(p),
  );
  const waitsForMirror = publishesFromMirror(rt.config, approved) && !isFinished(approved.stages.mirror);
  // The media spec (a video's Reel) is on the record since the stage's first step.
  if (!waitsForMirror) await rt.queues.publish({ photoId: id, step: "create", checks: 0 });
  return "queued";
}

/**
 * `POST /publish`'s answer: `published` photos were approved and sent on to Instagram now (the
 * quota has room for them); `deferred` ones were approved too but wait for the rolling quota to
 * free up; `ignored` were already published; `failed` could not be.
 */
export interface PublishAllResult {
  found: number;
  published: number;
  deferred: number;
  ignored: number;
  failed: number;
}

/** Approves every photo awaiting approval and queues it, answering with counts. */
export async function publishPending(rt: PublishRuntime): Promise<PublishAllResult> {
  const result: PublishAllResult = { found: 0, published: 0, deferred: 0, ignored: 0, failed: 0 };
  // The quota is read once: the steps themselves re-check it before every post.
  let room = await roomInQuota(rt);
  let cursor: string | undefined;
  do {
    const page = await rt.photos.list({ status: "awaiting_approval", limit: 100, ...(cursor && { cursor }) });
    for (const photo of page.photos) {
      result.found++;
      try {
        const outcome = await requestPublish(rt, photo.id);
        if (outcome === "ignored") result.ignored++;
        else if (room-- > 0) result.published++;
        else result.deferred++;
      } catch {
        result.failed++;
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return result;
}

/** Posts left in the rolling window; when Instagram cannot say, assume room (the steps check again). */
async function roomInQuota(rt: PublishRuntime): Promise<number> {
  try {
    const { quotaUsage, quotaTotal } = await rt.graph.getPublishingLimit();
    return Math.max(0, quotaTotal - quotaUsage);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}
