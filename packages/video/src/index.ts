/**
 * @photo-relay/video: makes phone videos Reels. A video within Instagram's Reels spec passes through
 * untouched; any other (HEVC, 10-bit HDR, 60+ fps, rotated, variable frame rate, moov at the end,
 * too short, …) is remuxed or transcoded with the ffmpeg build shipped in `@ffmpeg-installer`, to
 * H.264 High / yuv420p / SDR BT.709 / AAC, with a JPEG cover frame. `prepareReel` does it from S3 to
 * S3 through a bounded temp folder; `makeReel` works on local files.
 */
export { FfmpegError, VideoError, type VideoErrorCode } from "./errors.ts";
export { coverArgs, reelArgs } from "./ffmpeg-args.ts";
export { checkFfmpeg, type FfmpegCheck, ffmpegPath, REQUIRED_FFMPEG_FEATURES } from "./ffmpeg-binary.ts";
export { type MakeReelOptions, makeReel, type ReelFile } from "./make-reel.ts";
export { type PreparedReel, type PrepareReelOptions, prepareReel } from "./prepare-reel.ts";
export { probeReel, type ReelProbe } from "./probe-reel.ts";
export { planReel, type ReelPlan, reelBytesBound, type VideoTarget } from "./reel-plan.ts";
export { DEFAULT_REEL_SETTINGS, type ReelSettings } from "./reel-settings.ts";
export { type FfmpegRun, runFfmpeg } from "./run-ffmpeg.ts";
export type { S3Location } from "./s3-files.ts";
export { type DeadlineWatch, type TranscodeSpeed, watchDeadline } from "./transcode-deadline.ts";
export type { VideoDetails } from "./video-details.ts";
