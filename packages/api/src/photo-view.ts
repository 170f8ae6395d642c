/**
 * Everything a photo's own page shows: the record (its journey included), a short-lived URL for
 * each rendition and the original, the mirrored files, the Instagram permalink, and the caption
 * the owner wrote to post instead of the template's (none: the template's is used).
 */
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import type { ChosenPhoto } from "./photo-choices.ts";
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
  caption: { text: string | null; overridden: boolean };
}

export async function photoView(rt: PublishRuntime, photo: ChosenPhoto): Promise<PhotoView> {
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
    },
  };
}
