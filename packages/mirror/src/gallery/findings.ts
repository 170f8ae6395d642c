/** How the format walkers (`jpeg.ts`, `webp.ts`) report what they find; see `public-image.ts`. */
import type { GalleryError } from "../errors.ts";

/** What the format walkers report problems with. */
export interface Findings {
  /** Bytes that are not a complete image of the format. */
  invalid(why: string): GalleryError;
  /** A metadata block that must not go public. */
  refuse(field: string): GalleryError;
  exif(tiff: Buffer): void;
  xmp(text: string): void;
}

/** A block's leading text, for naming it in an error ("HUAWEI", "Ducky"). */
export function label(payload: Buffer): string {
  const text = payload.subarray(0, 32).toString("latin1").split("\0")[0] ?? "";
  return /^[\x20-\x7e]+$/.test(text) ? `"${text}"` : "unknown content";
}
