/**
 * Meta's publishing rules for captions, feed images and videos (docs/instagram-graph-api.md). Image and
 * caption violations are synchronous errors of `POST /{ig}/media`; video violations make the
 * container end in ERROR, as video processing is asynchronous at Meta.
 */
import sharp, { type Metadata } from "sharp";
import { errors } from "./graph-error.ts";
import type { Mp4Probe } from "./mp4-probe.ts";

export const LIMITS = {
  imageBytes: 8 * 1024 * 1024,
  minRatio: 0.8,
  maxRatio: 1.91,
  captionChars: 2200,
  hashtags: 30,
  mentions: 20,
  altTextChars: 1000,
  reelsBytes: 300 * 1024 * 1024,
  reelsMinSeconds: 3,
  reelsMaxSeconds: 15 * 60,
  storyVideoBytes: 100 * 1024 * 1024,
  storyVideoMaxSeconds: 60,
} as const;

/** Caption: ≤2200 chars (36004/2207010), ≤20 @-mentions (100/2207040), ≤30 hashtags (code **UNCONFIRMED**: 100). */
export function checkCaption(caption: string | undefined): void {
  if (caption === undefined) return;
  if ([...caption].length > LIMITS.captionChars) throw errors.captionTooLong();
  const mentions = caption.match(/(^|[^\w])@[\w.]+/gu)?.length ?? 0;
  if (mentions > LIMITS.mentions) throw errors.tooManyMentions();
  const hashtags = caption.match(/(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu)?.length ?? 0;
  if (hashtags > LIMITS.hashtags) throw errors.param("Cannot use more than 30 hashtags per created media.");
}

export interface CheckedImage {
  width: number;
  height: number;
}

/**
 * Feed/carousel/story image: ≤8 MiB, JPEG only, and (unless `anyRatio`, for stories) width/height
 * within [0.8, 1.91]. Bytes that are no image at all are "not media" (9004/2207052), as at Meta.
 */
export async function checkImage(
  bytes: Uint8Array,
  size: number,
  url: string,
  anyRatio: boolean,
): Promise<CheckedImage> {
  if (size > LIMITS.imageBytes) throw errors.imageTooLarge();
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw errors.fetchFailed(url);
  }
  if (meta.format !== "jpeg" || !meta.width || !meta.height) throw errors.imageFormat();
  // EXIF orientations 5–8 rotate by 90°, so the displayed ratio is the inverse of the stored one.
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  const ratio = width / height;
  if (!anyRatio && (ratio < LIMITS.minRatio - 1e-9 || ratio > LIMITS.maxRatio + 1e-9))
    throw errors.aspectRatio();
  return { width, height };
}

/** A video verdict: the subcode and `status` text an ERROR container reports, or `undefined` when fine. */
export function videoProblem(
  probe: Mp4Probe,
  size: number,
  surface: "REELS" | "STORIES" | "VIDEO",
): { subcode: number; status: string } | undefined {
  const fail = (why: string) => ({
    subcode: 2207026,
    status: `Error: Media upload has failed with error code 2207026 (${why})`,
  });
  if (!probe.ok) {
    return probe.reason === "not_mp4"
      ? fail("unsupported video format")
      : fail("moov atom must precede mdat (faststart)");
  }
  const story = surface === "STORIES";
  const maxBytes = story ? LIMITS.storyVideoBytes : LIMITS.reelsBytes;
  const maxSeconds = story ? LIMITS.storyVideoMaxSeconds : LIMITS.reelsMaxSeconds;
  if (size > maxBytes) return fail(`file larger than ${maxBytes} bytes`);
  if (probe.durationSeconds < LIMITS.reelsMinSeconds)
    return fail(`duration under ${LIMITS.reelsMinSeconds} s`);
  if (probe.durationSeconds > maxSeconds) return fail(`duration over ${maxSeconds} s`);
  return undefined;
}
