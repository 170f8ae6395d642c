/**
 * Real videos for the sandbox's spec tests, encoded on the fly by the ffmpeg build photo-relay ships
 * (`@ffmpeg-installer/ffmpeg`): small test-pattern clips, each made to keep or break one rule.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const ffmpeg = (createRequire(import.meta.url)("@ffmpeg-installer/ffmpeg") as { path: string }).path;
const run = promisify(execFile);

export interface ClipOptions {
  size?: string;
  rate?: number;
  seconds?: number;
  /** Video encoder arguments (default: H.264 High, yuv420p, closed GOPs). */
  video?: string[];
  /** Audio encoder arguments, or none for a silent clip (default: AAC 48 kHz stereo). */
  audio?: string[] | null;
  /** Muxer arguments (default: faststart). */
  mux?: string[];
}

const H264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];
const AAC = ["-c:a", "aac", "-ar", "48000", "-ac", "2"];

/** Encodes a clip and returns its bytes. */
export async function clip(options: ClipOptions = {}): Promise<Buffer> {
  const {
    size = "320x568",
    rate = 30,
    seconds = 3.2,
    video = H264,
    audio = AAC,
    mux = ["-movflags", "+faststart"],
  } = options;
  const dir = mkdtempSync(join(tmpdir(), "sandbox-clip-"));
  try {
    const out = join(dir, "clip.mp4");
    const inputs = ["-f", "lavfi", "-i", `testsrc2=s=${size}:r=${rate}:d=${seconds}`];
    if (audio) inputs.push("-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`);
    await run(ffmpeg, [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      ...inputs,
      ...video,
      ...(audio ?? []),
      ...mux,
      out,
    ]);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
