/**
 * Publishing a photo as something other than a feed image: a Reel of a video in the bucket, a
 * story, or a carousel of several photos. Each records the spec on the photo and queues the first
 * step, which honours manual mode (the photo then waits for approval). A photo already published
 * is left alone.
 */
import type { PhotoId } from "@photo-relay/core";
import { RequestRefusedError } from "../errors.ts";
import type { PublishMedia } from "../photo/photo-record.ts";
import type { Runtime } from "../runtime.ts";
import { recordPublishMedia } from "../stages/publish/publish-media.ts";

/** Records what to publish the photo as and queues its first step. */
export async function setPublishMedia(rt: Runtime, id: PhotoId, media: PublishMedia): Promise<void> {
  const photo = await recordPublishMedia(rt, id, media);
  if (!photo.stages.publish.mediaId) await rt.queues.publish({ photoId: id, step: "create", checks: 0 });
}

/** Publish this photo record as a Reel of the video at `videoKey`. */
export function publishVideo(
  rt: Runtime,
  id: PhotoId,
  video: { videoKey: string; coverKey?: string; shareToFeed?: boolean },
): Promise<void> {
  const { videoKey, coverKey, shareToFeed = true } = video;
  return setPublishMedia(rt, id, { kind: "reel", videoKey, shareToFeed, ...(coverKey && { coverKey }) });
}

/** Publish the photo as a story instead of a feed post. */
export function publishStory(rt: Runtime, id: PhotoId, videoKey?: string): Promise<void> {
  return setPublishMedia(rt, id, { kind: "story", ...(videoKey && { videoKey }) });
}

/**
 * Publish 2–10 converted photos as one carousel post, in this order. The first photo's record
 * carries the post (its caption, container, media id); the others' publish stages are `skipped`.
 */
export async function publishCarousel(rt: Runtime, ids: PhotoId[]): Promise<void> {
  if (ids.length < 2 || ids.length > 10 || new Set(ids).size !== ids.length)
    throw new RequestRefusedError("bad_carousel");
  const [lead, ...members] = ids as [PhotoId, ...PhotoId[]];
  for (const id of members) {
    await rt.photos.update(id, (p) =>
      p.stages.publish.mediaId
        ? undefined
        : {
            ...p,
            stages: {
              ...p.stages,
              publish: { ...p.stages.publish, status: "skipped", updatedAt: rt.now().toISOString() },
            },
          },
    );
  }
  await setPublishMedia(rt, lead, { kind: "carousel", photoIds: ids });
}
