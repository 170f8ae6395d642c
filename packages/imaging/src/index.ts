/**
 * @photo-relay/imaging: the conversion core of the convert Lambda. Detects formats from magic
 * bytes, decodes JPEG/PNG/WebP/GIF/TIFF/AVIF (sharp), HEIC (libheif WebAssembly) and camera RAW (their
 * embedded JPEG previews, or LibRaw when they are too small), renders the web and thumbnail renditions
 * and, when Instagram's rules allow, the Instagram one; analyses each frame for "best of the burst";
 * and probes videos against Instagram's Reels rules.
 */
export { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "./convert-photo.ts";
export { detectFormat } from "./detect-format.ts";
export { ImagingError, type ImagingErrorCode, ImagingResourceError } from "./errors.ts";
export {
  analyseFrame,
  type FrameAnalysis,
  type FramePixels,
  hashDistance,
  SAME_SCENE_MAX_DISTANCE,
} from "./frame-analysis.ts";
export { INSTAGRAM_LIMITS, planInstagramFrame } from "./instagram-frame.ts";
export {
  BLANK_MAX_DEVIATION,
  type InstagramRefusal,
  type InstagramRuleCode,
  MIN_FRAME_COVERAGE,
} from "./instagram-rules.ts";
export { probeVideo } from "./probe-video.ts";
export { extractRawPreview } from "./raw-preview.ts";
export { REELS_LIMITS, reelsEligibility } from "./reels-eligibility.ts";
export type {
  CaptureDevice,
  CaptureTime,
  ConvertResult,
  DetectedFormat,
  FormatKind,
  PhotoMetadata,
  PublishableImage,
  RenderedImage,
  Rendition,
  RenditionOptions,
  UnpublishableImage,
  VideoProbe,
  VideoResult,
} from "./types.ts";
