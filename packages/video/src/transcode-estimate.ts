/**
 * Whether a transcode can finish in the time the run has left, decided before the work starts: the
 * same command line runs on the first seconds of the video, and the measured speed (media seconds
 * per wall second on this machine, with this preset) times the length of the Reel gives the time.
 */
import { VideoError } from "./errors.ts";
import { reelArgs } from "./ffmpeg-args.ts";
import type { ReelProbe } from "./probe-reel.ts";
import type { ReelPlan } from "./reel-plan.ts";
import type { ReelSettings } from "./reel-settings.ts";
import { runOnVideo } from "./run-ffmpeg.ts";

export interface TranscodeEstimate {
  /** Media seconds transcoded per wall-clock second (2 = twice real time). */
  speed: number;
  /** How the speed was found: measured on a sample, or the whole clip is shorter than a sample. */
  measuredOn: "sample" | "short_clip";
  /** Expected wall time of the transcode, cover and upload, in ms. */
  expectedMs: number;
}

export interface EstimateOptions {
  ffmpeg: string;
  settings: ReelSettings;
  /** Seconds of video the speed test transcodes (default 2). */
  sampleSeconds?: number;
  /** Assumed upload speed to S3 in bytes/s for the time left after the transcode (default 40 MB/s). */
  uploadBytesPerSecond?: number;
  signal?: AbortSignal;
  now?: () => number;
}

/** Estimates are multiplied by this: the sample is short, and the machine may be shared. */
const SAFETY = 1.25;

export async function estimateTranscode(
  input: string,
  probe: ReelProbe,
  plan: ReelPlan,
  options: EstimateOptions,
): Promise<TranscodeEstimate> {
  const { ffmpeg, settings, sampleSeconds = 2, uploadBytesPerSecond = 40e6, now = Date.now } = options;
  const uploadMs = (expectedBytes(probe, plan, settings) / uploadBytesPerSecond) * 1000;
  if (plan.video === "copy" || probe.durationSeconds <= sampleSeconds * 2) {
    // Stream copies run at disk speed; clips this short cost no more than their own speed test.
    return { speed: Number.POSITIVE_INFINITY, measuredOn: "short_clip", expectedMs: uploadMs };
  }
  const started = now();
  await runOnVideo(reelArgs(input, "-", probe, plan, settings, sampleSeconds), {
    path: ffmpeg,
    ...(options.signal && { signal: options.signal }),
  });
  const speed = sampleSeconds / Math.max((now() - started) / 1000, 0.001);
  return {
    speed,
    measuredOn: "sample",
    expectedMs: ((plan.outputSeconds / speed) * 1000 + uploadMs) * SAFETY,
  };
}

/** Refuses, with the figures, a transcode that would not end before `deadlineAt`. */
export function assertFitsDeadline(
  plan: ReelPlan,
  estimate: TranscodeEstimate,
  deadlineAt: number,
  now: number,
): void {
  const leftMs = deadlineAt - now;
  if (estimate.expectedMs <= leftMs) return;
  throw new VideoError(
    "over_deadline",
    `a ${plan.outputSeconds.toFixed(1)} s video would take about ${Math.ceil(estimate.expectedMs / 1000)} s to transcode ` +
      `here (measured ${estimate.speed.toFixed(2)}× real time), more than the ${Math.max(0, Math.floor(leftMs / 1000))} s this run has left`,
  );
}

/** The most bytes the Reel can have: its bitrate caps times its length (the input's size for a copy). */
export function expectedBytes(probe: ReelProbe, plan: ReelPlan, settings: ReelSettings): number {
  if (plan.video === "copy") return probe.sizeBytes;
  return ((plan.video.maxBitrate * 2 + settings.audioBitrate) * plan.outputSeconds) / 8 + 1_000_000;
}
