/**
 * How a Reel is encoded. The defaults favour speed on Lambda (x264 `veryfast`) at a quality that
 * Instagram's own re-encode cannot tell apart; every figure is within Meta's Reels spec.
 */
export interface ReelSettings {
  /** x264 preset: slower presets give smaller files at the same quality and cost time. */
  preset: "ultrafast" | "superfast" | "veryfast" | "faster" | "fast" | "medium";
  /** x264 constant rate factor (lower is better quality). */
  crf: number;
  /** Peak video bitrate in bit/s (Reels allow 25 Mbps); lowered further so the file stays under 300 MB. */
  maxVideoBitrate: number;
  /** AAC bitrate in bit/s (Meta names 128 kbps). */
  audioBitrate: number;
  /** A keyframe (closed GOP, IDR) at least every this many seconds. */
  keyframeSeconds: number;
  /** Longest edge of the output in pixels (Reels: ≤ 1920 px wide; 1080 × 1920 is the recommended size). */
  maxEdge: number;
  /** Remux files that carry a GPS position so it is not published; false passes them through. */
  stripLocation: boolean;
  /** Where the cover frame is taken, in seconds (earlier for shorter videos). */
  coverAtSeconds: number;
}

export const DEFAULT_REEL_SETTINGS: ReelSettings = {
  preset: "veryfast",
  crf: 21,
  maxVideoBitrate: 16_000_000,
  audioBitrate: 128_000,
  keyframeSeconds: 2,
  maxEdge: 1920,
  stripLocation: true,
  coverAtSeconds: 1,
};
