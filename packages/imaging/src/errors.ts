/**
 * Errors of the imaging package. Almost every imaging failure is a property of the file itself, so
 * redelivering the message cannot help: these are ValidationErrors (fatal) with a named `code`.
 */
import { RetryableError, ValidationError } from "@photo-relay/core";

export type ImagingErrorCode =
  | "unsupported_format"
  | "corrupt_image"
  | "truncated"
  | "too_many_pixels"
  | "too_large"
  | "no_preview"
  | "timeout";

/** The file can never be converted; `code` names why, `message` says it for a person. */
export class ImagingError extends ValidationError {
  declare readonly code: ImagingErrorCode;
  constructor(code: ImagingErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, options);
    this.name = "ImagingError";
  }
}

/**
 * A failure of this process, not of the file (the decoder could not get memory or threads): another
 * attempt, perhaps on another instance, can succeed.
 */
export class ImagingResourceError extends RetryableError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("imaging_resources", message, options);
    this.name = "ImagingResourceError";
  }
}
