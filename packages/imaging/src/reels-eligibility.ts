/**
 * Instagram's Reels video rules (shared/instagram-api.md §3, from Meta's media reference) applied to
 * a probe. Each violation names the rule it breaks, for the photo's failed state.
 */
import type { VideoProbe, VideoResult } from "./types.ts";

export const REELS_LIMITS = {
  containers: ["mp4", "mov"],
  videoCodecs: ["h264", "hevc"],
  audioCodecs: ["aac"],
  minSeconds: 3,
  maxSeconds: 15 * 60,
  maxBytes: 300_000_000,
  minFrameRate: 23,
  maxFrameRate: 60,
  maxWidth: 1920,
  minRatio: 0.01,
  maxRatio: 10,
  maxVideoBitrate: 25_000_000,
  maxAudioSampleRate: 48_000,
  maxAudioChannels: 2,
} as const;

/** Frame rates are stored as sample durations: 59.94 or 60.02 fps are "60 fps" to a person. */
const FPS_SLACK = 0.5;

export function reelsEligibility(probe: VideoProbe): VideoResult["reels"] {
  const L = REELS_LIMITS;
  const violations: string[] = [];
  const fail = (rule: string, detail: string) => violations.push(`${rule}: ${detail}`);
  if (!(L.containers as readonly string[]).includes(probe.container))
    fail("container", `${probe.container} is not MP4/MOV`);
  if (!(L.videoCodecs as readonly string[]).includes(probe.videoCodec)) {
    fail("video_codec", `${probe.videoCodec} is not H.264 or HEVC`);
  }
  if (probe.durationSeconds < L.minSeconds || probe.durationSeconds > L.maxSeconds) {
    fail("duration", `${probe.durationSeconds.toFixed(2)} s is outside 3 s … 15 min`);
  }
  if (probe.sizeBytes > L.maxBytes) fail("file_size", `${probe.sizeBytes} bytes is over 300 MB`);
  if (probe.frameRate < L.minFrameRate - FPS_SLACK || probe.frameRate > L.maxFrameRate + FPS_SLACK) {
    fail("frame_rate", `${probe.frameRate.toFixed(2)} fps is outside 23 … 60 fps`);
  }
  if (probe.width > L.maxWidth) fail("width", `${probe.width} px is wider than 1920 px`);
  const ratio = probe.height > 0 ? probe.width / probe.height : 0;
  if (ratio < L.minRatio || ratio > L.maxRatio)
    fail("aspect_ratio", `${ratio.toFixed(3)}:1 is outside 0.01:1 … 10:1`);
  if (probe.videoBitrate > L.maxVideoBitrate) {
    fail("video_bitrate", `${(probe.videoBitrate / 1e6).toFixed(1)} Mbps is over 25 Mbps`);
  }
  if (probe.chroma !== undefined && probe.chroma !== "420")
    fail("chroma", `4:${probe.chroma.slice(1, 2)}:${probe.chroma.slice(2)} is not 4:2:0`);
  if (!probe.faststart)
    fail("faststart", "the moov atom is after the media data; Reels needs it at the start");
  if (probe.editList) fail("edit_list", "the video carries edit lists");
  if (probe.audio) {
    const { codec, sampleRate, channels } = probe.audio;
    if (!(L.audioCodecs as readonly string[]).includes(codec)) fail("audio_codec", `${codec} is not AAC`);
    if (sampleRate > L.maxAudioSampleRate) fail("audio_sample_rate", `${sampleRate} Hz is over 48 kHz`);
    if (channels > L.maxAudioChannels)
      fail("audio_channels", `${channels} channels; Reels takes mono or stereo`);
  }
  return { eligible: violations.length === 0, violations };
}
