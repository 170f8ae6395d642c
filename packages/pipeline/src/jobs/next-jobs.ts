/**
 * What a stage hands back to the stage runner when its work is done: the jobs to send next. A
 * photo moves forward only — convert hands mirror (and publish) their jobs, or a video to the reel
 * stage, which hands them on once the Reel is made; mirror hands publish
 * its job when publish needs the mirrored URL — and a step that must wait is one more job to its
 * own queue, with a delay.
 */
import type { MirrorJob, PublishJob, ReelJob } from "./job-schemas.ts";

export type NextJob =
  | { readonly queue: "mirror"; readonly job: MirrorJob; readonly delaySeconds: number }
  | { readonly queue: "publish"; readonly job: PublishJob; readonly delaySeconds: number }
  | { readonly queue: "reel"; readonly job: ReelJob; readonly delaySeconds: number };

export interface StageResult {
  readonly next: readonly NextJob[];
}

/** The stage did its work; the runner sends `next` (none: this photo's journey ends here). */
export const finished = (...next: NextJob[]): StageResult => ({ next });

export const toMirror = (job: MirrorJob, delaySeconds = 0): NextJob => ({
  queue: "mirror",
  job,
  delaySeconds,
});

/** `delaySeconds` is capped at SQS's 15 minutes when sent; a longer wait is several deferrals. */
export const toPublish = (job: PublishJob, delaySeconds = 0): NextJob => ({
  queue: "publish",
  job,
  delaySeconds,
});

export const toReel = (job: ReelJob): NextJob => ({ queue: "reel", job, delaySeconds: 0 });
