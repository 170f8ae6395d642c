/**
 * Decides what a video needs to become a Reel: nothing (passthrough, byte-identical), a remux
 * (streams copied, index moved to the front, edit lists and metadata dropped), or a transcode to
 * H.264 High / yuv420p / SDR BT.709 / AAC with the allowed frame rate, size, aspect and duration.
 * Pure: the same probe always gives the same plan.
 */
import { REELS_LIMITS, reelsEligibility } from "@photo-relay/imaging/video";
import type { ReelProbe } from "./probe-reel.ts";
import type { ReelSettings } from "./reel-settings.ts";

export interface VideoTarget {
  width: number;
  height: number;
  /** Constant output frame rate. */
  frameRate: number;
  /** Tone-map this HDR transfer to SDR. */
  toneMap?: "pq" | "hlg";
  /** Peak bitrate for this video, so that the file stays under Meta's size limit. */
  maxBitrate: number;
}

export interface ReelPlan {
  action: "passthrough" | "remux" | "transcode";
  /** Why the file cannot go as it is, as `rule: detail` (empty for a passthrough). */
  reasons: string[];
  video: "copy" | VideoTarget;
  audio: "copy" | "encode" | "none";
  /** Length of the Reel in seconds. */
  outputSeconds: number;
  /** Seconds the last frame is held (and silence added) to reach Meta's 3 s minimum. */
  padSeconds: number;
}

/** Rules whose breach the video stream itself must be re-encoded for. */
const VIDEO_RULES = new Set([
  "video_codec",
  "frame_rate",
  "width",
  "aspect_ratio",
  "video_bitrate",
  "chroma",
  "file_size",
]);
const AUDIO_RULES = new Set(["audio_codec", "audio_sample_rate", "audio_channels"]);
/** Frame rates people and players expect; a variable or out-of-range rate snaps to the nearest. */
const FRAME_RATES = [24, 25, 30, 50, 60];
/** A clip under 3 s is held to this length: exactly 3.0 s risks rounding under the minimum. */
const PADDED_SECONDS = REELS_LIMITS.minSeconds + 0.2;

export function planReel(probe: ReelProbe, settings: ReelSettings): ReelPlan {
  const reasons = reelsEligibility(probe).violations;
  const extra = (rule: string, detail: string) => reasons.push(`${rule}: ${detail}`);
  if (probe.hdr) extra("hdr", `${probe.hdr.toUpperCase()} HDR; Reels are published as SDR (BT.709)`);
  else if (probe.bitDepth > 8) extra("bit_depth", `${probe.bitDepth}-bit video; H.264 High takes 8-bit`);
  if (probe.videoCodec === "hevc") {
    extra("video_codec", "HEVC is re-encoded to H.264: phones' HEVC may use open GOPs, which Reels refuse");
  }
  if (probe.rotation !== 0) extra("rotation", `turned ${probe.rotation}° by the display matrix`);
  if (probe.variableFrameRate) extra("frame_rate", "variable frame rate");
  if (probe.interlaced) extra("interlaced", "interlaced fields; Reels are progressive");
  if (probe.hasLocation && settings.stripLocation) extra("location", "the file carries a GPS position");
  if (reasons.length === 0) {
    return {
      action: "passthrough",
      reasons,
      video: "copy",
      audio: probe.audio ? "copy" : "none",
      outputSeconds: probe.durationSeconds,
      padSeconds: 0,
    };
  }

  const rules = new Set(reasons.map((r) => r.slice(0, r.indexOf(":"))));
  const padSeconds =
    probe.durationSeconds < REELS_LIMITS.minSeconds ? PADDED_SECONDS - probe.durationSeconds : 0;
  const outputSeconds = Math.min(probe.durationSeconds + padSeconds, REELS_LIMITS.maxSeconds);
  const encodeVideo =
    padSeconds > 0 ||
    [...rules].some((r) => VIDEO_RULES.has(r) || ["hdr", "bit_depth", "rotation", "interlaced"].includes(r));
  const audio = !probe.audio
    ? "none"
    : padSeconds > 0 || [...rules].some((r) => AUDIO_RULES.has(r))
      ? "encode"
      : "copy";
  return {
    action: encodeVideo || audio === "encode" ? "transcode" : "remux",
    reasons,
    video: encodeVideo ? videoTarget(probe, settings, outputSeconds) : "copy",
    audio,
    outputSeconds,
    padSeconds,
  };
}

function videoTarget(probe: ReelProbe, settings: ReelSettings, seconds: number): VideoTarget {
  const scale = Math.min(1, settings.maxEdge / Math.max(probe.width, probe.height));
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  let width = even(probe.width * scale);
  let height = even(probe.height * scale);
  // Outside 1:100 … 10:1 the frame is letterboxed to the limit (no phone records that; a crafted file can).
  if (width / height > REELS_LIMITS.maxRatio) height = even(width / REELS_LIMITS.maxRatio + 1);
  if (width / height < REELS_LIMITS.minRatio) width = even(height * REELS_LIMITS.minRatio + 1);
  const inRange =
    probe.frameRate >= REELS_LIMITS.minFrameRate && probe.frameRate <= REELS_LIMITS.maxFrameRate + 0.5;
  const rate = probe.peakFrameRate ?? probe.frameRate;
  const frameRate =
    inRange && !probe.variableFrameRate
      ? probe.frameRate
      : FRAME_RATES.reduce((best, r) => (Math.abs(r - rate) < Math.abs(best - rate) ? r : best));
  // Meta's 300 MB limit, with 10 % for the audio, the index and VBV overshoot.
  const sizeBound = (REELS_LIMITS.maxBytes * 8 * 0.9) / Math.max(seconds, 1) - settings.audioBitrate;
  return {
    width,
    height,
    frameRate: Math.round(frameRate * 1000) / 1000,
    ...(probe.hdr && { toneMap: probe.hdr }),
    maxBitrate: Math.round(Math.min(settings.maxVideoBitrate, sizeBound)),
  };
}

/** The most bytes the Reel can have: its bitrate cap times its length plus a VBV buffer (the input's size for a copy). */
export function reelBytesBound(probe: ReelProbe, plan: ReelPlan, settings: ReelSettings): number {
  if (plan.video === "copy") return probe.sizeBytes;
  return (
    ((plan.video.maxBitrate + settings.audioBitrate) * plan.outputSeconds + plan.video.maxBitrate * 2) / 8 +
    1_000_000
  );
}
