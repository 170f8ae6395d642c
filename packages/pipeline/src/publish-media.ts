/**
 * What a photo record is published as. A feed image by default; a Reel, a story or a carousel
 * when one of the seams below has recorded a {@link PublishMedia} spec on the record's publish
 * stage. The steps (check → publish → permalink) are the same for all; only the container differs.
 *
 * Seams for other stages: {@link publishVideo} (convert, once it renders an Instagram video),
 * {@link publishStory} and {@link publishCarousel} (an API route or a rule, not built yet).
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type PhotoId, PhotoRelayError, ValidationError } from "@photo-relay/core";
import { instagramImageUrl } from "./image-url.ts";
import type { PhotoRecord, PublishStage } from "./photo.ts";
import type { Runtime } from "./runtime.ts";

export type PublishMedia =
  | { kind: "image" }
  /** A Reel from an MP4/MOV already in the bucket (H.264/AAC, 3 s – 15 min, ≤ 300 MB). */
  | { kind: "reel"; videoKey: string; coverKey?: string; shareToFeed: boolean }
  /** A story: the Instagram rendition, or a video (3–60 s) when `videoKey` is set. */
  | { kind: "story"; videoKey?: string }
  /** 2–10 photos as one post; `children` are their item containers, recorded as they are made. */
  | { kind: "carousel"; photoIds: PhotoId[]; children?: string[]; childrenAt?: string };

type StageWithMedia = PublishStage & { media?: PublishMedia };

/** The spec recorded on the photo, or a feed image. */
export const publishMediaOf = (photo: PhotoRecord): PublishMedia =>
  (photo.stages.publish as StageWithMedia).media ?? { kind: "image" };

/** The stage without its containers (they expired): carousel items are made afresh too. */
export function withoutContainers(stage: PublishStage): PublishStage {
  const { containerId: _c, containerCreatedAt: _t, ...rest } = stage as StageWithMedia;
  if (rest.media?.kind !== "carousel") return rest;
  const { children: _children, childrenAt: _at, ...media } = rest.media;
  return { ...rest, media } as StageWithMedia;
}

/**
 * Records what to publish the photo as and queues its first step. The `create` step honours manual
 * mode (the photo then waits for approval). A photo already published is left alone.
 */
export async function setPublishMedia(rt: Runtime, id: PhotoId, media: PublishMedia): Promise<void> {
  const photo = await rt.photos.update(id, (p) => {
    if (p.stages.publish.mediaId || p.stages.publish.containerId) return undefined;
    const publish: StageWithMedia = { ...p.stages.publish, media, updatedAt: rt.now().toISOString() };
    return { ...p, stages: { ...p.stages, publish } };
  });
  if (!photo.stages.publish.mediaId) await rt.queues.publish({ photoId: id, step: "create", checks: 0 });
}

/** The seam for convert: publish this photo record as a Reel of the video at `videoKey`. */
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
  if (ids.length < 2 || ids.length > 10 || new Set(ids).size !== ids.length) {
    throw new ValidationError("bad_carousel", "a carousel takes 2 to 10 different photos");
  }
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

/**
 * Creates the photo's container, or answers `later` while carousel items are still processing
 * (Meta wants every item FINISHED before the carousel container is made).
 */
export async function createMediaContainer(
  rt: Runtime,
  photo: PhotoRecord,
  caption: string | undefined,
): Promise<{ id: string } | "later"> {
  const media = publishMediaOf(photo);
  const withCaption = caption ? { caption } : {};
  switch (media.kind) {
    case "image":
      return rt.graph.createImageContainer({ imageUrl: await instagramImageUrl(rt, photo), ...withCaption });
    case "reel":
      return rt.graph.createReelsContainer({
        videoUrl: await presign(rt, media.videoKey),
        shareToFeed: media.shareToFeed,
        ...(media.coverKey && { coverUrl: await presign(rt, media.coverKey) }),
        ...withCaption,
      });
    case "story": // Stories take no caption.
      return rt.graph.createStoryContainer(
        media.videoKey
          ? { videoUrl: await presign(rt, media.videoKey) }
          : { imageUrl: await instagramImageUrl(rt, photo) },
      );
    case "carousel": {
      const children = media.children ?? (await createItems(rt, photo.id, media.photoIds));
      const states = await Promise.all(children.map((c) => rt.graph.getContainerStatus(c)));
      if (states.some((s) => s.statusCode === "IN_PROGRESS")) {
        const age = (rt.now().getTime() - Date.parse(media.childrenAt ?? rt.now().toISOString())) / 1000;
        if (age <= rt.config.instagram.checkDeadlineSeconds) return "later";
        throw new PhotoRelayError(
          "container_failed",
          `carousel items still processing after ${Math.round(age)} s`,
        );
      }
      return rt.graph.createCarouselContainer({ children, ...withCaption });
    }
  }
}

/** One item container per photo, recorded on the lead's spec (the first recorded set wins). */
async function createItems(rt: Runtime, leadId: PhotoId, photoIds: PhotoId[]): Promise<string[]> {
  const created: string[] = [];
  for (const id of photoIds) {
    const photo = await rt.photos.require(id);
    const { id: child } = await rt.graph.createImageContainer({
      imageUrl: await instagramImageUrl(rt, photo),
      isCarouselItem: true,
    });
    created.push(child);
  }
  const lead = await rt.photos.update(leadId, (p) => {
    const media = publishMediaOf(p);
    if (media.kind !== "carousel" || media.children) return undefined;
    const childrenAt = rt.now().toISOString();
    const publish: StageWithMedia = {
      ...p.stages.publish,
      media: { ...media, children: created, childrenAt },
    };
    return { ...p, stages: { ...p.stages, publish } };
  });
  const media = publishMediaOf(lead);
  return media.kind === "carousel" && media.children ? media.children : created;
}

function presign(rt: Runtime, key: string): Promise<string> {
  return getSignedUrl(rt.clients.s3, new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }), {
    expiresIn: rt.config.s3.presignSeconds,
  });
}
