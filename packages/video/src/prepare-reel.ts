/**
 * What the pipeline's reel stage does: an original in S3 becomes a Reel in S3. The original streams to a
 * private temp folder (within a disk budget, for Lambda's /tmp), is made a Reel there, and the Reel
 * and its cover stream back; the folder is removed whatever happens.
 */
import { mkdtemp, rm, statfs } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { VideoError } from "./errors.ts";
import { type MakeReelOptions, makeReel, type ReelFile } from "./make-reel.ts";
import { reelBytesBound } from "./reel-plan.ts";
import { DEFAULT_REEL_SETTINGS, type ReelSettings } from "./reel-settings.ts";
import { downloadToFile, objectSize, type S3Location, uploadFile } from "./s3-files.ts";

export interface PrepareReelOptions {
  s3: S3Client;
  /** The original video. */
  input: S3Location;
  /** Where a remuxed or transcoded Reel and the cover go (a passthrough Reel stays at `input`). */
  output: { bucket: string; videoKey: string; coverKey: string };
  /** Milliseconds the caller has left (Lambda: `context.getRemainingTimeInMillis()` less a margin for the rest of the job). */
  deadlineMs: number;
  /** Parent of the temp folder (default `os.tmpdir()`, i.e. /tmp on Lambda). */
  workDir?: string;
  /** Most bytes the temp folder may hold: the original plus the Reel plus the cover (default 512 MiB, Lambda's default /tmp). */
  tmpBudgetBytes?: number;
  settings?: Partial<ReelSettings>;
  ffmpeg?: string;
  signal?: AbortSignal;
  now?: () => number;
  /** ffmpeg's progress (see `MakeReelOptions.onProgress`). */
  onProgress?: MakeReelOptions["onProgress"];
}

export interface PreparedReel extends Omit<ReelFile, "file" | "cover"> {
  /** The Reel to publish: the original itself for a passthrough. */
  video: S3Location & { bytes: number };
  cover: S3Location & { bytes: number };
}

const COVER_ALLOWANCE = 10 * 1024 * 1024;

/**
 * @example
 * const reel = await prepareReel({
 *   s3, input: { bucket, key: "originals/abc.mov" },
 *   output: { bucket, videoKey: "renditions/abc/reel.mp4", coverKey: "renditions/abc/reel-cover.jpg" },
 *   deadlineMs: context.getRemainingTimeInMillis() - 30_000, tmpBudgetBytes: 2 * 1024 ** 3,
 * });
 * @throws VideoError for videos that cannot become a Reel here (with `over_disk_budget` and
 * `over_deadline` decided before the long work starts); S3 and ffmpeg failures are retryable.
 */
export async function prepareReel(options: PrepareReelOptions): Promise<PreparedReel> {
  const { s3, input, output, signal, now = Date.now } = options;
  const deadlineAt = now() + options.deadlineMs;
  const dir = await mkdtemp(join(options.workDir ?? tmpdir(), "reel-"));
  try {
    const budget = Math.min(options.tmpBudgetBytes ?? 512 * 1024 * 1024, await freeBytes(dir));
    const size = await objectSize(s3, input, signal);
    assertBudget(size + COVER_ALLOWANCE, budget, `the ${mb(size)} original`);
    const original = join(dir, "original");
    await downloadToFile(s3, input, original, signal);
    const settings = { ...DEFAULT_REEL_SETTINGS, ...options.settings };
    const reel = await makeReel({
      input: original,
      workDir: dir,
      deadlineMs: deadlineAt - now(),
      settings,
      now,
      ...(options.ffmpeg && { ffmpeg: options.ffmpeg }),
      ...(signal && { signal }),
      ...(options.onProgress && { onProgress: options.onProgress }),
      beforeTranscode: (probe, plan) =>
        assertBudget(
          size + reelBytesBound(probe, plan, settings) + COVER_ALLOWANCE,
          budget,
          `the ${mb(size)} original and its Reel`,
        ),
    });
    const { file, cover, ...rest } = reel;
    const coverAt = { bucket: output.bucket, key: output.coverKey };
    const coverBytes = await uploadFile(s3, cover, coverAt, "image/jpeg", signal);
    if (reel.kind === "passthrough")
      return { ...rest, video: { ...input, bytes: size }, cover: { ...coverAt, bytes: coverBytes } };
    const videoAt = { bucket: output.bucket, key: output.videoKey };
    const videoBytes = await uploadFile(s3, file, videoAt, "video/mp4", signal);
    return { ...rest, video: { ...videoAt, bytes: videoBytes }, cover: { ...coverAt, bytes: coverBytes } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function assertBudget(bytes: number, budget: number, what: string): void {
  if (bytes <= budget) return;
  throw new VideoError(
    "over_disk_budget",
    `${what} need about ${mb(bytes)} of temp space; this run has ${mb(budget)}`,
  );
}

async function freeBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
