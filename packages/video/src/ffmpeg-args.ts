/**
 * The ffmpeg command lines for a plan: the Reel itself and its cover frame. Kept apart from running
 * them so that the benchmark runs the very same command line as the product.
 */
import type { ReelProbe } from "./probe-reel.ts";
import type { ReelPlan, VideoTarget } from "./reel-plan.ts";
import type { ReelSettings } from "./reel-settings.ts";

const HDR_TRANSFER = { pq: "smpte2084", hlg: "arib-std-b67" } as const;

/** Arguments that turn `input` into the Reel at `output` (MP4, moov first, no edit lists, no metadata). */
export function reelArgs(
  input: string,
  output: string,
  probe: ReelProbe,
  plan: ReelPlan,
  settings: ReelSettings,
): string[] {
  const args = ["-hide_banner", "-v", "error", "-nostdin", "-y", "-i", input, "-map", "0:v:0"];
  if (plan.audio !== "none") args.push("-map", "0:a:0");
  // Global and stream metadata go (GPS, device names); chapters and data tracks are not mapped.
  args.push("-map_metadata", "-1", "-map_metadata:s", "-1", "-map_chapters", "-1");
  if (plan.video === "copy") args.push("-c:v", "copy");
  else args.push(...videoArgs(probe, plan.video, plan.padSeconds, settings));
  if (plan.audio === "copy") args.push("-c:a", "copy");
  if (plan.audio === "encode") {
    const rate = Math.min(probe.audio?.sampleRate ?? 48_000, 48_000);
    const channels = Math.min(probe.audio?.channels ?? 2, 2);
    if (plan.padSeconds > 0) args.push("-af", "apad");
    args.push(
      "-c:a",
      "aac",
      "-b:a",
      String(settings.audioBitrate),
      "-ar",
      String(rate),
      "-ac",
      String(channels),
    );
  }
  args.push("-t", plan.outputSeconds.toFixed(3));
  args.push("-movflags", "+faststart+write_colr", "-use_editlist", "0", "-f", "mp4", output);
  return args;
}

function videoArgs(
  probe: ReelProbe,
  target: VideoTarget,
  padSeconds: number,
  settings: ReelSettings,
): string[] {
  const filters = [toSdr(probe, target)];
  if (probe.variableFrameRate || Math.abs(target.frameRate - probe.frameRate) > 0.01)
    filters.push(`fps=${target.frameRate}`);
  if (padSeconds > 0) filters.push(`tpad=stop_mode=clone:stop_duration=${padSeconds.toFixed(3)}`);
  const gop = Math.max(1, Math.round(target.frameRate * settings.keyframeSeconds));
  return [
    "-vf",
    filters.join(","),
    "-c:v",
    "libx264",
    "-profile:v",
    "high",
    "-preset",
    settings.preset,
    "-crf",
    String(settings.crf),
    "-maxrate",
    String(target.maxBitrate),
    "-bufsize",
    String(target.maxBitrate * 2),
    // Closed GOPs (x264's default, stated here because Meta requires it) with an IDR at least every `gop` frames.
    "-g",
    String(gop),
    "-x264-params",
    "open-gop=0",
    "-pix_fmt",
    "yuv420p",
    "-color_primaries",
    "bt709",
    "-color_trc",
    "bt709",
    "-colorspace",
    "bt709",
    "-color_range",
    "tv",
  ];
}

/**
 * Resizes (ffmpeg has already turned the frame upright by its display matrix) and converts to 8-bit
 * BT.709. HDR goes through linear light: zimg linearises at the output size (so the float work is
 * done on at most 1920 px), Hable's curve maps the highlights, and zimg encodes BT.709.
 */
function toSdr(probe: ReelProbe, target: VideoTarget): string {
  const size = `w=${target.width}:h=${target.height}`;
  if (!target.toneMap) {
    return `scale=${size}:flags=bicubic,setsar=1,format=yuv420p`;
  }
  const input = `tin=${HDR_TRANSFER[target.toneMap]}:pin=bt2020:min=${probe.colour?.matrix === 9 || !probe.colour ? "bt2020nc" : "bt709"}`;
  return [
    `zscale=${size}:f=bicubic:${input}:t=linear:npl=100`,
    "format=gbrpf32le",
    "zscale=p=bt709",
    "tonemap=tonemap=hable:desat=0",
    "zscale=t=bt709:m=bt709:r=tv",
    "format=yuv420p",
    "setsar=1",
  ].join(",");
}

/** Arguments that write one JPEG frame of `input` at `seconds` to `output` (sRGB, full size). */
export function coverArgs(input: string, output: string, seconds: number): string[] {
  return [
    "-hide_banner",
    "-v",
    "error",
    "-nostdin",
    "-y",
    "-ss",
    seconds.toFixed(3),
    "-i",
    input,
    "-frames:v",
    "1",
    "-q:v",
    "3",
    "-f",
    "image2",
    output,
  ];
}
