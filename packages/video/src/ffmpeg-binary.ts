/**
 * The ffmpeg executable: the static build shipped inside `@ffmpeg-installer/<platform>-<arch>` (an
 * optional dependency of `@ffmpeg-installer/ffmpeg` chosen by npm for the platform, so SST's
 * `nodejs.install` puts the x86_64 or arm64 binary into the Lambda zip), or `FFMPEG_PATH` when set.
 */
import { createRequire } from "node:module";
import { runFfmpeg } from "./run-ffmpeg.ts";

const require = createRequire(import.meta.url);

let resolved: string | undefined;

/** The path of the ffmpeg binary to run (`FFMPEG_PATH` wins over the bundled one). */
export function ffmpegPath(): string {
  const fromEnv = process.env.FFMPEG_PATH;
  if (fromEnv) return fromEnv;
  resolved ??= (require("@ffmpeg-installer/ffmpeg") as { path: string }).path;
  return resolved;
}

/** What a Reel transcode needs from the build; {@link checkFfmpeg} reports the missing ones. */
export const REQUIRED_FFMPEG_FEATURES = {
  encoders: ["libx264", "aac", "mjpeg"],
  decoders: ["hevc", "h264", "aac"],
  filters: ["zscale", "tonemap", "scale", "fps", "tpad", "apad", "format"],
} as const;

export interface FfmpegCheck {
  path: string;
  version: string;
  missing: string[];
}

/**
 * Asks the binary for its version, encoders, decoders and filters, and lists what a Reel transcode
 * needs but the build lacks (`missing` is empty for a usable build).
 */
export async function checkFfmpeg(path = ffmpegPath()): Promise<FfmpegCheck> {
  const list = async (what: string) => (await runFfmpeg(["-hide_banner", what], { path })).stdout;
  const [version, encoders, decoders, filters] = await Promise.all(
    ["-version", "-encoders", "-decoders", "-filters"].map(list),
  );
  const names = (text = "") => new Set(text.split("\n").map((line) => line.trim().split(/\s+/)[1]));
  const have = { encoders: names(encoders), decoders: names(decoders), filters: names(filters) };
  const missing = Object.entries(REQUIRED_FFMPEG_FEATURES).flatMap(([kind, wanted]) =>
    wanted.filter((name) => !have[kind as keyof typeof have].has(name)).map((name) => `${kind}:${name}`),
  );
  return { path, version: version?.split("\n")[0] ?? "", missing };
}
