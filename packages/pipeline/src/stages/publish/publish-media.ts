/**
 * What a photo record is published as, and the container that makes of it. A feed image by
 * default; a Reel, a story or a carousel once a {@link PublishMedia} is recorded on the photo's
 * publish stage (convert's publish job carries one for a video; the API's operations record one).
 * The URLs come from `media-urls.ts`, the container vocabulary from `@photo-relay/instagram`.
 */
import type { PhotoId } from "@photo-relay/core";
import {
  ContainerFailedError,
  type ContainerSpec,
  carouselItemsReady,
  createContainer,
} from "@photo-relay/instagram";
import { defaultMediaOf } from "../../jobs/photo-route.ts";
import type { PhotoRecord, PublishMedia, PublishStage } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";
import { instagramImageUrl, presignedUrl } from "./media-urls.ts";
import type { PublishRuntime } from "./publish-runtime.ts";

/** The spec recorded on the photo, or its default (a video's Reel, else a feed image). */
export const publishMediaOf = (photo: PhotoRecord): PublishMedia =>
  photo.stages.publish.media ?? defaultMediaOf(photo);

/** The stage without its containers (they expired): carousel items are made afresh too. */
export function withoutContainers(stage: PublishStage): PublishStage {
  const { containerId: _c, containerCreatedAt: _t, ...rest } = stage;
  if (rest.media?.kind !== "carousel") return rest;
  const { children: _children, childrenAt: _at, ...media } = rest.media;
  return { ...rest, media };
}

/** Records what to publish the photo as; a photo with a container or already published is left alone. */
export function recordPublishMedia(
  rt: Pick<Runtime, "photos" | "now">,
  id: PhotoId,
  media: PublishMedia,
): Promise<PhotoRecord> {
  return rt.photos.update(id, (p) => {
    if (p.stages.publish.mediaId || p.stages.publish.containerId) return undefined;
    const publish: PublishStage = { ...p.stages.publish, media, updatedAt: rt.now().toISOString() };
    return { ...p, stages: { ...p.stages, publish } };
  });
}

/**
 * Creates the photo's container, or answers `later` while carousel items are still processing
 * (Meta wants every item FINISHED before the carousel container is made).
 */
export async function createMediaContainer(
  rt: PublishRuntime,
  photo: PhotoRecord,
  caption: string | undefined,
): Promise<{ id: string } | "later"> {
  const spec = await containerSpec(rt, photo, caption);
  return spec === "later" ? "later" : createContainer(rt.graph, spec);
}

async function containerSpec(
  rt: PublishRuntime,
  photo: PhotoRecord,
  caption: string | undefined,
): Promise<ContainerSpec | "later"> {
  const media = publishMediaOf(photo);
  const withCaption = caption ? { caption } : {};
  switch (media.kind) {
    case "image":
      return { kind: "image", imageUrl: await instagramImageUrl(rt, photo), ...withCaption };
    case "reel":
      return {
        kind: "reel",
        videoUrl: await presignedUrl(rt, media.videoKey),
        shareToFeed: media.shareToFeed,
        ...(media.coverKey && { coverUrl: await presignedUrl(rt, media.coverKey) }),
        ...withCaption,
      };
    case "story": // Stories take no caption.
      return media.videoKey
        ? { kind: "story", videoUrl: await presignedUrl(rt, media.videoKey) }
        : { kind: "story", imageUrl: await instagramImageUrl(rt, photo) };
    case "carousel": {
      // Items one step, the carousel another: no step waits on more than three rounds of calls.
      if (!media.children) {
        await createItems(rt, photo.id, media.photoIds);
        return "later";
      }
      const { children } = media;
      if (await carouselItemsReady(rt.graph, children)) return { kind: "carousel", children, ...withCaption };
      const age = (rt.now().getTime() - Date.parse(media.childrenAt ?? rt.now().toISOString())) / 1000;
      if (age <= rt.config.instagram.checkDeadlineSeconds) return "later";
      throw new ContainerFailedError(`carousel items still processing after ${Math.round(age)} s`);
    }
  }
}

/**
 * One item container per photo, made at once (one round of calls for up to ten items, each
 * bounded by the client's timeout), recorded on the lead's spec (the first recorded set wins).
 */
async function createItems(rt: PublishRuntime, leadId: PhotoId, photoIds: PhotoId[]): Promise<string[]> {
  const urls = await Promise.all(
    photoIds.map(async (id) => instagramImageUrl(rt, await rt.photos.require(id))),
  );
  const created = await Promise.all(
    urls.map(async (imageUrl) => (await createContainer(rt.graph, { kind: "carousel_item", imageUrl })).id),
  );
  const lead = await rt.photos.update(leadId, (p) => {
    const media = publishMediaOf(p);
    if (media.kind !== "carousel" || media.children) return undefined;
    const childrenAt = rt.now().toISOString();
    const publish: PublishStage = { ...p.stages.publish, media: { ...media, children: created, childrenAt } };
    return { ...p, stages: { ...p.stages, publish } };
  });
  const media = publishMediaOf(lead);
  return media.kind === "carousel" && media.children ? media.children : created;
}
