/** Manual publishing: "publish now" for one photo, or for everything awaiting approval. */
import { NotFoundError, type PhotoId, ValidationError } from "@photo-relay/core";
import type { PhotoRecord } from "./photo.ts";
import type { Runtime } from "./runtime.ts";
import { setStage } from "./stage.ts";

export type PublishRequestOutcome = "published" | "queued" | "ignored";

/**
 * Approves a photo for Instagram and queues its publish steps. A photo already published is
 * ignored (never posted twice); one whose conversion failed cannot be published.
 */
export async function requestPublish(rt: Runtime, id: PhotoId): Promise<PublishRequestOutcome> {
  const photo = await rt.photos.get(id);
  if (!photo) throw new NotFoundError(`photo ${id}`);
  if (photo.stages.publish.mediaId || photo.stages.publish.status === "done") return "ignored";
  if (photo.stages.convert.status === "failed") {
    throw new ValidationError("not_publishable", "the photo failed conversion and cannot be published");
  }
  await rt.photos.update(id, (p: PhotoRecord) =>
    setStage(
      "publish",
      { approved: true, status: p.stages.publish.status === "running" ? "running" : "pending" },
      {},
      rt.now(),
    )(p),
  );
  await rt.queues.publish({ photoId: id, step: "create", checks: 0 });
  return "queued";
}

export interface PublishAllResult {
  found: number;
  queued: number;
  ignored: number;
  failed: number;
}

/** Queues every photo awaiting approval, answering with counts. */
export async function publishPending(rt: Runtime): Promise<PublishAllResult> {
  const result: PublishAllResult = { found: 0, queued: 0, ignored: 0, failed: 0 };
  let cursor: string | undefined;
  do {
    const page = await rt.photos.list({ status: "awaiting_approval", limit: 100, ...(cursor && { cursor }) });
    for (const photo of page.photos) {
      result.found++;
      try {
        const outcome = await requestPublish(rt, photo.id);
        if (outcome === "queued") result.queued++;
        else result.ignored++;
      } catch {
        result.failed++;
      }
    }
    cursor = page.cursor;
  } while (cursor);
  return result;
}
