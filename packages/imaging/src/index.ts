/**
 * @photo-relay/imaging: the conversion core of the convert Lambda. Detects formats from magic
 * bytes, decodes JPEG/PNG/WebP/GIF/TIFF/AVIF (sharp), HEIC (libheif WebAssembly) and camera RAW (their
 * embedded JPEG previews), renders the Instagram, web and thumbnail renditions, and probes videos
 * against Instagram's Reels rules.
 */
export { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "./convert-photo.ts";
export { detectFormat } from "./detect-format.ts";
export { ImagingError, type ImagingErrorCode, ImagingResourceError } from "./errors.ts";
export { INSTAGRAM_LIMITS, planInstagramFrame } from "./instagram-frame.ts";
export { probeVideo } from "./probe-video.ts";
export { extractRawPreview } from "./raw-preview.ts";
export { REELS_LIMITS, reelsEligibility } from "./reels-eligibility.ts";
export type {
  ConvertResult,
  DetectedFormat,
  FormatKind,
  PhotoMetadata,
  RenderedImage,
  Rendition,
  RenditionOptions,
  VideoProbe,
  VideoResult,
} from "./types.ts";
