/** The guards every decode goes through: a pixel budget checked from headers, and libvips's own. */
import type { SharpOptions } from "sharp";
import { ImagingError } from "./errors.ts";

/** Refuses a declared size over the budget before a single pixel is decoded (decompression bombs). */
export function checkPixels(width: number, height: number, maxInputPixels: number, what: string): void {
  if (width * height > maxInputPixels) {
    throw new ImagingError(
      "too_many_pixels",
      `${what} declares ${width}x${height}, more than ${maxInputPixels} pixels`,
    );
  }
}

export const decodeOptions = (maxInputPixels: number): SharpOptions => ({
  limitInputPixels: maxInputPixels,
  // 'error' aborts on truncated or corrupt pixel data but tolerates the harmless warnings that real
  // camera JPEGs often trigger (e.g. extraneous bytes before a marker).
  failOn: "error",
  sequentialRead: true,
});
