/**
 * The entry point of the convert Lambda: bytes in, renditions (or a Reels verdict for videos) out.
 * Every failure is an ImagingError naming its reason; only resource exhaustion is retryable.
 */
import { detectFormat } from "./detect-format.ts";
import { ImagingError } from "./errors.ts";
import { INSTAGRAM_LIMITS } from "./instagram-frame.ts";
import { openImage } from "./open-image.ts";
import { probeVideo } from "./probe-video.ts";
import { readMetadata } from "./read-metadata.ts";
import { reelsEligibility } from "./reels-eligibility.ts";
import { type KeptExif, type Rendered, renderRenditions } from "./render-renditions.ts";
import { sharpFailure } from "./sharp-failure.ts";
import type { ConvertResult, DetectedFormat, RenditionOptions, VideoResult } from "./types.ts";

/** The values the lead's config schema defaults to; handy for tests and scripts. */
export const DEFAULT_RENDITION_OPTIONS: RenditionOptions = {
  instagramWidth: 1080,
  webLongEdge: 2048,
  thumbnailLongEdge: 400,
  jpegQuality: 88,
  aspect: "pad",
  maxInputPixels: 200_000_000,
};

/**
 * Converts one original. The format comes from the bytes, never from a file name.
 *
 * @example
 * const result = await convertPhoto(bytes, DEFAULT_RENDITION_OPTIONS);
 * if (result.kind === "image" && result.instagram.status === "ready") {
 *   await put(result.renditions.instagram.data);
 * } else if (result.kind === "image") {
 *   record(`Instagram rendition refused: ${result.instagram.code}: ${result.instagram.reason}`);
 * }
 * A photo that Instagram's rules refuse (see instagram-rules.ts) is not an error: it converts, with
 * `instagram.status` "refused" and no Instagram rendition.
 * @throws ImagingError (fatal: `unsupported_format`, `corrupt_image`, `truncated`, `too_many_pixels`,
 *   `no_preview`, `timeout`) or ImagingResourceError (retryable).
 */
export async function convertPhoto(
  input: Buffer,
  options: RenditionOptions,
): Promise<ConvertResult | VideoResult> {
  const format = detectFormat(input);
  if (!format) {
    const head = input.subarray(0, 8).toString("hex");
    throw new ImagingError("unsupported_format", `not a known image or video format (first bytes ${head})`);
  }
  if (format.kind === "unsupported") {
    throw new ImagingError("unsupported_format", `${format.format} files are not supported`);
  }
  if (format.kind === "video") return convertVideo(input, format);
  return convertImage(input, format, options);
}

function convertVideo(input: Buffer, format: DetectedFormat): VideoResult {
  try {
    const probe = probeVideo(input, format.format === "mov" ? "mov" : "mp4");
    return { kind: "video", probe, reels: reelsEligibility(probe) };
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    // Buffer reads past a box's end throw RangeError: the boxes lie about their contents.
    throw new ImagingError("corrupt_image", `video structure is inconsistent: ${String(error)}`, {
      cause: error,
    });
  }
}

/** The longest source edge any rendition can use (a 4:5 Instagram portrait is 1.25 × its width tall). */
const neededLongEdge = (o: RenditionOptions): number =>
  Math.max(o.webLongEdge, o.thumbnailLongEdge, Math.ceil(o.instagramWidth / INSTAGRAM_LIMITS.minRatio));

async function convertImage(
  input: Buffer,
  format: DetectedFormat,
  options: RenditionOptions,
): Promise<ConvertResult> {
  const [image, described] = await Promise.all([
    openImage(input, format, options.maxInputPixels, neededLongEdge(options)),
    readMetadata(input),
  ]);
  const kept: KeptExif = {};
  if (options.keep?.artist && described.artist) kept.Artist = described.artist;
  if (options.keep?.copyright && described.copyright) kept.Copyright = described.copyright;
  let rendered: Rendered;
  try {
    rendered = await renderRenditions(image, options, kept);
  } catch (error) {
    throw image.fallbackFor ?? sharpFailure(error, input, format);
  }
  const metadata = {
    format: format.format,
    width: image.width,
    height: image.height,
    ...(image.orientation !== undefined && { orientation: image.orientation }),
    ...described,
  };
  return { kind: "image", metadata, ...rendered };
}
