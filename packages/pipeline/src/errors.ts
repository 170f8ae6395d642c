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

/**
 * A stage got the photo before the stage it needs finished (a re-drive racing a conversion, a
 * photo approved by hand before its mirror was done): it comes back later.
 */
export class NotReadyError extends RetryableError {
  readonly waitingFor: "convert" | "mirror";

  constructor(waitingFor: "convert" | "mirror") {
    const [code, message] =
      waitingFor === "convert"
        ? ["not_converted", "the photo is not converted yet"]
        : ["not_mirrored", "the Instagram rendition is not on the mirror yet"];
    super(code, message);
    this.name = "NotReadyError";
    this.waitingFor = waitingFor;
  }
}

/** The photo has no URL Meta could fetch: a configuration or conversion problem, not worth retrying. */
export class ImageUrlError extends PhotoRelayError {
  constructor(message: string) {
    super("no_image_url", message);
    this.name = "ImageUrlError";
  }
}

/**
 * Instagram's rules refused the photo when convert made its renditions (imaging's rule `code`,
 * e.g. `too_small`, `blank`): it has no Instagram rendition, and asking again cannot change that.
 */
export class InstagramRefusedError extends ValidationError {
  constructor(code: string, reason: string) {
    super(code, `Instagram rendition refused: ${reason}`);
    this.name = "InstagramRefusedError";
  }
}

/** An object under `agents/<id>/rejected/` that is not the rejection report its key says it is. */
export class BadReportError extends ValidationError {
  constructor(key: string, problem: string) {
    super("bad_report", `${key} ${problem}`);
    this.name = "BadReportError";
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

/**
 * The mirror's check after a burst's last join found the burst not settled yet (the clocks of two
 * functions differ by a moment): it comes back shortly.
 */
export class BurstNotSettledError extends RetryableError {
  constructor(burstId: string) {
    super("burst_not_settled", `burst ${burstId} has not settled yet`);
    this.name = "BurstNotSettledError";
  }
}

const REFUSALS = {
  not_publishable: "the photo failed conversion (or is a refused file) and cannot be published",
  bad_carousel: "a carousel takes 2 to 10 different photos",
  nothing_to_retry: "no stage of this photo has failed",
  already_published: "this photo is already on Instagram",
  publishing_now: "this photo is being posted right now; it can no longer be held",
  not_retryable:
    "this is a refused file or upload, or a photo Instagram's rules refuse: retrying cannot change that (send the file again, whole and under its own id)",
  not_in_burst: "the picks must be frames of this burst",
  too_many_picks: "the burst's policy posts fewer frames than that",
  pick_posted: "a frame of this burst is already posted, or being posted now",
} as const;

/** An operation the API asked for cannot be done as asked; `code` says why (see the API's status table). */
export class RequestRefusedError extends ValidationError {
  declare readonly code: keyof typeof REFUSALS;

  constructor(code: keyof typeof REFUSALS) {
    super(code, REFUSALS[code]);
    this.name = "RequestRefusedError";
  }
}
