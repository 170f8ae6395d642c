/**
 * A video file on disk made a Reel on disk: probed, planned, transcoded (or remuxed, or passed
 * through untouched) under a deadline watch that refuses it within its first seconds when it cannot
 * finish in time, checked against the Reels rules again, and given a cover frame.
 */
import { join } from "node:path";
import { reelsEligibility } from "@photo-relay/imaging/video";
import { decoderColour } from "./decoder-colour.ts";
import { VideoError } from "./errors.ts";
import { coverArgs, reelArgs } from "./ffmpeg-args.ts";
import { ffmpegPath } from "./ffmpeg-binary.ts";
import { probeReel, type ReelProbe } from "./probe-reel.ts";
import { planReel, type ReelPlan, reelBytesBound } from "./reel-plan.ts";
import { DEFAULT_REEL_SETTINGS, type ReelSettings } from "./reel-settings.ts";
import { runOnVideo } from "./run-ffmpeg.ts";
import { type DeadlineWatch, type TranscodeSpeed, watchDeadline } from "./transcode-deadline.ts";

/** Assumed speed of the upload that follows, for the time the transcode may take (Lambda to S3 does more). */
const UPLOAD_BYTES_PER_SECOND = 40e6;

export interface MakeReelOptions {
  /** The video file to read (never changed). */
  input: string;
  /** A folder for the Reel and its cover (the caller creates and removes it). */
  workDir: string;
  /** Milliseconds the caller has left (Lambda: `context.getRemainingTimeInMillis()` less a margin). */
  deadlineMs: number;
  settings?: Partial<ReelSettings>;
  /** The ffmpeg binary (default: the bundled one, or `FFMPEG_PATH`). */
  ffmpeg?: string;
  signal?: AbortSignal;
  now?: () => number;
  /** Called with the plan before any remux or transcode starts; may throw to refuse the work (disk budget). */
  beforeTranscode?: (source: ReelProbe, plan: ReelPlan) => void;
  /**
   * Called with the media seconds written so far, as ffmpeg reports them (about twice a second),
   * before the deadline watch judges them: a log line, a progress bar.
   */
  onProgress?: (mediaSeconds: number, outputSeconds: number) => void;
}

export interface ReelFile {
  kind: "passthrough" | "remuxed" | "transcoded";
  /** The Reel: `input` itself for a passthrough. */
  file: string;
  /** A JPEG frame of the Reel, for `cover_url`. */
  cover: string;
  /** The probe of the Reel as published. */
  probe: ReelProbe;
  /** The probe of the input, and what was done to it and why. */
  source: ReelProbe;
  plan: ReelPlan;
  /** The transcode's measured speed (not for a passthrough or a Reel too short to measure). */
  speed?: TranscodeSpeed;
}

/**
 * @example
 * const reel = await makeReel({ input: "/tmp/in.mov", workDir: "/tmp/job", deadlineMs: 600_000 });
 * // reel.kind === "transcoded", reel.file === "/tmp/job/reel.mp4", reel.cover === "/tmp/job/cover.jpg"
 * @throws VideoError (`corrupt_video`, `unsupported_video`, `over_deadline`, `transcode_out_of_spec`)
 * for files that cannot become a Reel here; FfmpegError when ffmpeg itself fails or is aborted.
 */
export async function makeReel(options: MakeReelOptions): Promise<ReelFile> {
  const { input, workDir, now = Date.now } = options;
  const deadlineAt = now() + options.deadlineMs;
  const settings = { ...DEFAULT_REEL_SETTINGS, ...options.settings };
  const ffmpeg = options.ffmpeg ?? ffmpegPath();
  const signal = options.signal;
  let source = await probeReel(input);
  if (!source.colour && source.bitDepth > 8)
    source = { ...source, ...(await decoderColour(ffmpeg, input, signal)) };
  const plan = planReel(source, settings);
  const cover = join(workDir, "cover.jpg");
  if (plan.action === "passthrough") {
    await writeCover(ffmpeg, input, cover, source.durationSeconds, settings, signal);
    return { kind: "passthrough", file: input, cover, probe: source, source, plan };
  }
  options.beforeTranscode?.(source, plan);
  const file = join(workDir, "reel.mp4");
  const args = reelArgs(input, file, source, plan, settings);
  const afterMs = (reelBytesBound(source, plan, settings) / UPLOAD_BYTES_PER_SECOND) * 1000 + 5_000;
  const watch = watchDeadline({ outputSeconds: plan.outputSeconds, deadlineAt, afterMs, now });
  const report = options.onProgress;
  const progress = (seconds: number) => {
    report?.(seconds, plan.outputSeconds);
    return watch.progress(seconds);
  };
  await transcode(ffmpeg, args, progress, deadlineAt - afterMs, now, signal);
  const speed = watch.speed();
  const probe = await probeReel(file);
  assertReel(probe, plan);
  await writeCover(ffmpeg, file, cover, probe.durationSeconds, settings, signal);
  return {
    kind: plan.action === "remux" ? "remuxed" : "transcoded",
    file,
    cover,
    probe,
    source,
    plan,
    ...(speed && { speed }),
  };
}

/**
 * Runs the transcode under the deadline watch; a refusal stops ffmpeg at once. A transcode that
 * stalls (no progress to judge) is stopped when the time left for it is up.
 */
async function transcode(
  ffmpeg: string,
  args: string[],
  progress: DeadlineWatch["progress"],
  stopAt: number,
  now: () => number,
  signal?: AbortSignal,
): Promise<void> {
  if (stopAt <= now()) {
    throw new VideoError("over_deadline", "this run has no time left for a transcode");
  }
  const stop = new AbortController();
  let refusal: VideoError | undefined;
  const refuse = (error: VideoError) => {
    refusal ??= error;
    stop.abort(refusal);
  };
  const timer = setTimeout(
    () =>
      refuse(new VideoError("over_deadline", "the transcode did not finish in the time this run has for it")),
    stopAt - now(),
  );
  const onProgress = (seconds: number) => {
    const late = progress(seconds);
    if (late) refuse(late);
  };
  try {
    await runOnVideo(args, {
      path: ffmpeg,
      signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
      onProgress,
    });
  } catch (error) {
    throw refusal ?? error;
  } finally {
    clearTimeout(timer);
  }
}

/** The Reel must pass the same rules, and be as long as planned: a shorter one lost frames to corrupt data. */
function assertReel(probe: ReelProbe, plan: ReelPlan): void {
  const violations = reelsEligibility(probe).violations;
  if (probe.hdr || probe.bitDepth > 8) violations.push("hdr: the Reel is still HDR");
  if (probe.rotation !== 0) violations.push("rotation: the Reel still carries a rotation");
  if (violations.length > 0) {
    throw new VideoError(
      "transcode_out_of_spec",
      `the transcoded Reel breaks the spec: ${violations.join("; ")}`,
    );
  }
  if (probe.durationSeconds < plan.outputSeconds * 0.9 - 0.1) {
    throw new VideoError(
      "corrupt_video",
      `the video decodes to only ${probe.durationSeconds.toFixed(2)} s of its ${plan.outputSeconds.toFixed(2)} s: its media data is damaged`,
    );
  }
}

async function writeCover(
  ffmpeg: string,
  video: string,
  cover: string,
  seconds: number,
  settings: ReelSettings,
  signal?: AbortSignal,
): Promise<void> {
  const at = Math.min(settings.coverAtSeconds, seconds / 2);
  await runOnVideo(coverArgs(video, cover, at), { path: ffmpeg, ...(signal && { signal }) });
}
