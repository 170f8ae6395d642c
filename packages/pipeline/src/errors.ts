/**
 * The pipeline's own errors. Stages throw these (and the errors of the packages they call); the
 * stage runner alone decides what a failure means for the photo and its message: a retryable error
 * comes back later, a fatal one fails the stage with its reason. Instagram's errors live in
 * `@photo-relay/instagram`, imaging's and mirror's in theirs.
 */
import { PhotoRelayError, RetryableError, ValidationError } from "@photo-relay/core";

/** An SQS message that is not what its queue carries (not JSON, or not the job's shape). */
export class BadMessageError extends ValidationError {
  constructor(queue: string, problem: string) {
    super("bad_message", `${queue} message ${problem}`);
    this.name = "BadMessageError";
  }
}

/** A later stage got the photo before convert finished it (a re-drive racing a conversion). */
export class NotConvertedError extends RetryableError {
  constructor() {
    super("not_converted", "the photo is not converted yet");
    this.name = "NotConvertedError";
  }
}

/** `instagram.imageSource` is `mirror`, and the Instagram rendition is not on the mirror yet. */
export class NotMirroredError extends RetryableError {
  constructor() {
    super("not_mirrored", "the Instagram rendition is not on the mirror yet");
    this.name = "NotMirroredError";
  }
}

/** The photo has no URL Meta could fetch: a configuration or conversion problem, not worth retrying. */
export class ImageUrlError extends PhotoRelayError {
  constructor(message: string) {
    super("no_image_url", message);
    this.name = "ImageUrlError";
  }
}

/** A video that breaks Instagram's Reels rules as it is; `message` names every broken rule. */
export class NotReelsReadyError extends ValidationError {
  constructor(violations: readonly string[]) {
    super("video_not_reels_ready", `video breaks Instagram's Reels rules: ${violations.join("; ")}`);
    this.name = "NotReelsReadyError";
  }
}

/** The runner's verdict at the queue's last receive: the stage fails with the last reason. */
export class GaveUpError extends PhotoRelayError {
  constructor(attempts: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super("gave_up", `gave up after ${attempts} attempts: ${reason}`, { cause });
    this.name = "GaveUpError";
  }
}

/**
 * The invocation had too little time left to start this record: it goes back to the queue
 * untouched and comes back soon (mirror, whose records run one after another).
 */
export class NotStartedError extends RetryableError {
  constructor(remainingMs: number) {
    super("not_started", `not started with ${Math.round(remainingMs / 1000)} s left in the invocation`);
    this.name = "NotStartedError";
  }
}

/** The photo cannot be published: it failed conversion. */
export class NotPublishableError extends ValidationError {
  constructor() {
    super("not_publishable", "the photo failed conversion and cannot be published");
    this.name = "NotPublishableError";
  }
}

/** A carousel needs 2 to 10 different photos. */
export class CarouselError extends ValidationError {
  constructor() {
    super("bad_carousel", "a carousel takes 2 to 10 different photos");
    this.name = "CarouselError";
  }
}

/** `POST /photos/:id/retry` on a photo none of whose stages failed. */
export class NothingToRetryError extends PhotoRelayError {
  constructor() {
    super("nothing_to_retry", "no stage of this photo has failed");
    this.name = "NothingToRetryError";
  }
}
