/**
 * Whether a transcode can end before the run's deadline, decided from its own measured speed: the
 * transcode's first seconds of media are the speed test (so a video that fits pays nothing for the
 * check), and the Reel's length over that speed gives the time it needs. One that would not make
 * it is refused right then, with the figures, instead of running into the function's timeout; the
 * watch then stays on, should the speed drop later (a harder second half, a noisy neighbour).
 */
import { VideoError } from "./errors.ts";

export interface TranscodeSpeed {
  /** Media seconds transcoded per wall-clock second (2 = twice real time). */
  speed: number;
  /** Media seconds the speed was measured over. */
  measuredOverSeconds: number;
  /** Expected wall time of the whole transcode, in ms. */
  expectedMs: number;
}

export interface DeadlineWatchOptions {
  /** Length of the Reel being written, in seconds. */
  outputSeconds: number;
  deadlineAt: number;
  /** Time needed after the transcode (probe, cover, upload), in ms. */
  afterMs: number;
  /** Media seconds to measure before deciding (default 2; a quarter of shorter Reels). */
  sampleSeconds?: number;
  now?: () => number;
}

export interface DeadlineWatch {
  /** Feed with ffmpeg's progress (media seconds written); returns the refusal once one is due. */
  progress(mediaSeconds: number): VideoError | undefined;
  /** The speed measured so far, once the sample is done. */
  speed(): TranscodeSpeed | undefined;
}

/** The first estimate is multiplied by this: the sample is short, and the machine may be shared. */
const SAFETY = 1.15;

export function watchDeadline(options: DeadlineWatchOptions): DeadlineWatch {
  const { outputSeconds, deadlineAt, afterMs, now = Date.now } = options;
  const sample = Math.min(options.sampleSeconds ?? 2, outputSeconds / 4);
  const started = now();
  let measured: TranscodeSpeed | undefined;
  const secondsLeft = () => Math.max(0, Math.floor((deadlineAt - afterMs - started) / 1000));
  return {
    progress(mediaSeconds) {
      if (mediaSeconds < sample || mediaSeconds <= 0) return undefined;
      const elapsedMs = Math.max(now() - started, 1);
      const speed = mediaSeconds / (elapsedMs / 1000);
      const first = measured === undefined;
      measured = { speed, measuredOverSeconds: mediaSeconds, expectedMs: (outputSeconds / speed) * 1000 };
      const expectedMs = measured.expectedMs * (first ? SAFETY : 1);
      if (started + expectedMs + afterMs <= deadlineAt) return undefined;
      return new VideoError(
        "over_deadline",
        `a ${outputSeconds.toFixed(1)} s video would take about ${Math.ceil(expectedMs / 1000)} s to transcode here ` +
          `(measured ${speed.toFixed(2)}× real time over ${mediaSeconds.toFixed(1)} s), more than the ${secondsLeft()} s this run has for it`,
      );
    },
    speed: () => measured,
  };
}
