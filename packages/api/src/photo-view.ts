/**
 * Everything a photo's own page shows: the record (its journey included), a short-lived URL for
 * each rendition and the original, the mirrored files, the Instagram permalink, and the caption
 * the owner wrote to post instead of the template's (none: the template's is used), beside the
 * caption the publish stage would post now; for a frame of a burst, the burst with each frame's
 * name, thumbnail and whether it is posted.
 */
import { NotFoundError } from "@photo-relay/core";
import {
  type BurstMemberView,
  type BurstView,
  type CaptionPreview,
  captionPreview,
  describeBurst,
  type PublishRuntime,
} from "@photo-relay/pipeline/api";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { type PhotoSummary, presignGet, summarize } from "./photo-summary.ts";

export interface PhotoView {
  summary: PhotoSummary;
  photo: Omit<PhotoRecord, "version" | "kind">;
  renditions: Array<{
    name: string;
    url: string;
    width?: number;
    height?: number;
    bytes: number;
    contentType: string;
  }>;
  /** The owner's caption (`text`, null for none) and what would be posted now (`preview`). */
  caption: { text: string | null; overridden: boolean; preview: CaptionPreview };
  burst?: BurstFrames;
}

export interface BurstFrames extends Omit<BurstView, "members"> {
  members: Array<BurstMemberView & { name: string; thumbnailUrl?: string; posted: boolean }>;
}

export async function photoView(rt: PublishRuntime, photo: PhotoRecord): Promise<PhotoView> {
  const { version: _v, kind: _k, ...record } = photo;
  const { leaseUntil: _l, ...publish } = photo.stages.publish;
  const renditions: PhotoView["renditions"] = await Promise.all(
    Object.entries(photo.renditions ?? {}).map(async ([name, r]) => ({
      name,
      url: await presignGet(rt, r.key),
      width: r.width,
      height: r.height,
      bytes: r.bytes,
      contentType: r.contentType,
    })),
  );
  const burst = await burstFrames(rt, photo);
  // A file the agent refused stays on its capture PC: the bucket holds only the agent's report.
  if (!photo.rejection) {
    renditions.push({
      name: "original",
      url: await presignGet(rt, photo.originalKey),
      bytes: photo.bytes,
      contentType: photo.format ?? "",
    });
  }
  return {
    summary: await summarize(rt, photo),
    photo: { ...record, stages: { ...photo.stages, publish } },
    renditions,
    caption: {
      text: photo.captionOverride ?? null,
      overridden: photo.captionOverride !== undefined,
      preview: await captionPreview(rt, photo),
    },
    ...(burst && { burst }),
  };
}

async function burstFrames(rt: PublishRuntime, photo: PhotoRecord): Promise<BurstFrames | undefined> {
  if (!photo.burst) return undefined;
  const burst = await describeBurst(rt, photo.burst.id).catch((error: unknown) => {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  });
  if (!burst) return undefined;
  const members = await Promise.all(
    burst.members.map(async (m) => {
      const frame = m.photoId === photo.id ? photo : await rt.photos.get(m.photoId);
      const thumb = frame?.renditions?.thumbnail?.key;
      return {
        ...m,
        name: frame?.originalName ?? m.photoId.slice(0, 12),
        ...(thumb && { thumbnailUrl: await presignGet(rt, thumb) }),
        posted: Boolean(frame?.stages.publish.mediaId),
      };
    }),
  );
  return { ...burst, members };
}
