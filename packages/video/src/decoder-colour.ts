/**
 * The colour a video's bitstream declares (its VUI), as ffmpeg's demuxer reports it. Used only when
 * the container has no `colr` box: some encoders write the HDR transfer into the bitstream alone,
 * and missing it would turn HDR into washed-out SDR instead of tone-mapping it.
 */

import { spawnFfmpeg } from "./run-ffmpeg.ts";
import type { VideoDetails } from "./video-details.ts";

/** ffmpeg's names → ISO/IEC 23091-2 code points (the ones phones write). */
const PRIMARIES: Record<string, number> = { bt709: 1, bt2020: 9, smpte432: 12, "display-p3": 12 };
const TRANSFERS: Record<string, number> = { bt709: 1, smpte2084: 16, "arib-std-b67": 18, "bt2020-10": 14 };
const MATRICES: Record<string, number> = { bt709: 1, bt2020nc: 9, bt2020c: 10, bt470bg: 5, smpte170m: 6 };

/** Stream info of `ffmpeg -i` reads e.g. `yuv420p10le(tv, bt2020nc/bt2020/smpte2084, progressive)`. */
export function parseStreamColour(stderr: string): Pick<VideoDetails, "colour" | "hdr"> {
  const line = stderr.split("\n").find((l) => /Stream #\d+:\d+.*: Video:/.test(l)) ?? "";
  const match = /\((?:tv|pc), ([\w-]+)\/([\w-]+)\/([\w-]+)/.exec(line);
  if (!match) return {};
  const [, matrix = "", primaries = "", transfer = ""] = match;
  const colour = {
    primaries: PRIMARIES[primaries] ?? 2,
    transfer: TRANSFERS[transfer] ?? 2,
    matrix: MATRICES[matrix] ?? 2,
  };
  const hdr = colour.transfer === 16 ? "pq" : colour.transfer === 18 ? "hlg" : undefined;
  return { colour, ...(hdr && { hdr }) };
}

export async function decoderColour(
  ffmpeg: string,
  input: string,
  signal?: AbortSignal,
): Promise<Pick<VideoDetails, "colour" | "hdr">> {
  // With no output file ffmpeg prints the input's streams and exits non-zero; that is the point.
  const run = await spawnFfmpeg(["-hide_banner", "-nostdin", "-i", input], {
    path: ffmpeg,
    ...(signal && { signal }),
  });
  return parseStreamColour(run.stderr);
}
