/**
 * `@photo-relay/imaging/video`: format detection and the Reels probe of a video, without sharp or
 * any image decoder, for code that handles videos only (the reel function has no sharp installed).
 */
export { detectFormat } from "./detect-format.ts";
export { ImagingError, type ImagingErrorCode } from "./errors.ts";
export { probeVideo } from "./probe-video.ts";
export { REELS_LIMITS, reelsEligibility } from "./reels-eligibility.ts";
export type { DetectedFormat, FormatKind, VideoProbe, VideoResult } from "./types.ts";
