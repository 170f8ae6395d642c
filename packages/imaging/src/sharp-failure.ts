/**
 * Translates libvips's error text into our named reasons. libvips reports truncation in several
 * wordings, and libpng reports a truncated and a corrupt file alike, so PNGs are also checked for
 * their closing IEND chunk.
 */
import { ImagingError, ImagingResourceError } from "./errors.ts";
import type { DetectedFormat } from "./types.ts";

const TRUNCATED = /premature end|unexpected end|truncated|not enough data|end of file|eof/i;
const PIXEL_LIMIT = /exceeds pixel limit/i;
const TIMEOUT = /timeout/i;
const RESOURCES =
  /out of memory|cannot allocate|unable to allocate|memory area too small|unable to create thread/i;

export function sharpFailure(error: unknown, input: Buffer, format: DetectedFormat): Error {
  if (error instanceof ImagingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const detail = message.split("\n")[0]?.slice(0, 200) ?? "";
  if (PIXEL_LIMIT.test(message)) return new ImagingError("too_many_pixels", detail, { cause: error });
  if (TIMEOUT.test(message)) {
    return new ImagingError("timeout", `decoding took too long: ${detail}`, { cause: error });
  }
  if (RESOURCES.test(message))
    return new ImagingResourceError(`decoder ran out of resources: ${detail}`, { cause: error });
  const pngDataError = format.format === "png" && /read error/i.test(message);
  if (TRUNCATED.test(message) || (pngDataError && !hasPngEnd(input))) {
    return new ImagingError("truncated", `${format.format} file is truncated: ${detail}`, { cause: error });
  }
  return new ImagingError("corrupt_image", `${format.format} file is corrupt: ${detail}`, { cause: error });
}

function hasPngEnd(input: Buffer): boolean {
  return input.lastIndexOf("IEND", undefined, "latin1") >= Math.max(0, input.length - 4096);
}
