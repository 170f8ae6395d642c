/**
 * Errors of the video package. A video that can never become a Reel (corrupt, too long to transcode
 * in the time the function has, over the disk budget) is a ValidationError with a named `code`; a
 * failure of this process or of S3 is retryable.
 */
import { RetryableError, ValidationError } from "@photo-relay/core";

export type VideoErrorCode =
  | "corrupt_video"
  | "unsupported_video"
  | "over_deadline"
  | "over_disk_budget"
  | "transcode_out_of_spec";

/** The video can never be made a Reel here; `code` names why, `message` says it for a person. */
export class VideoError extends ValidationError {
  declare readonly code: VideoErrorCode;
  constructor(code: VideoErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "VideoError";
  }
}

/**
 * ffmpeg could not run or was stopped (missing binary, killed for memory, aborted by the caller):
 * another attempt, perhaps on another instance, can succeed.
 */
export class FfmpegError extends RetryableError {
  /** The last lines ffmpeg wrote to stderr, for the log (never shown to users as-is). */
  readonly stderr: string;
  constructor(message: string, stderr = "", options: { cause?: unknown } = {}) {
    super("ffmpeg_failed", message, options);
    this.name = "FfmpegError";
    this.stderr = stderr;
  }
}
