/**
 * Meta's publishing rules for captions, feed images and videos (docs/instagram-graph-api.md). Image and
 * caption violations are synchronous errors of `POST /{ig}/media`; video violations make the
 * container end in ERROR, as video processing is asynchronous at Meta. Meta's "128 kbps" for AAC is
 * taken as a target, not a limit (which one Meta means is unconfirmed), so it is not refused.
 */
import sharp, { type Metadata } from "sharp";
import { errors } from "./graph-error.ts";
import type { VideoProbe } from "./video-probe.ts";

export const LIMITS = {
  imageBytes: 8 * 1024 * 1024,
  minRatio: 0.8,
  maxRatio: 1.91,
  captionChars: 2200,
  hashtags: 30,
  mentions: 20,
  altTextChars: 1000,
  reelsBytes: 300 * 1024 * 1024,
  reelsMinSeconds: 3,
  reelsMaxSeconds: 15 * 60,
  storyVideoBytes: 100 * 1024 * 1024,
  storyVideoMaxSeconds: 60,
} as const;

/** Caption: ≤2200 chars (36004/2207010), ≤20 @-mentions (100/2207040), ≤30 hashtags (code **UNCONFIRMED**: 100). */
export function checkCaption(caption: string | undefined): void {
  if (caption === undefined) return;
  if ([...caption].length > LIMITS.captionChars) throw errors.captionTooLong();
  const mentions = caption.match(/(^|[^\w])@[\w.]+/gu)?.length ?? 0;
  if (mentions > LIMITS.mentions) throw errors.tooManyMentions();
  const hashtags = caption.match(/(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu)?.length ?? 0;
  if (hashtags > LIMITS.hashtags) throw errors.param("Cannot use more than 30 hashtags per created media.");
}

export interface CheckedImage {
  width: number;
  height: number;
}

/**
 * Feed/carousel/story image: ≤8 MiB, JPEG only, and (unless `anyRatio`, for stories) width/height
 * within [0.8, 1.91]. Bytes that are no image at all are "not media" (9004/2207052), as at Meta.
 */
export async function checkImage(
  bytes: Uint8Array,
  size: number,
  url: string,
  anyRatio: boolean,
): Promise<CheckedImage> {
  if (size > LIMITS.imageBytes) throw errors.imageTooLarge();
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch {
    throw errors.fetchFailed(url);
  }
  if (meta.format !== "jpeg" || !meta.width || !meta.height) throw errors.imageFormat();
  // EXIF orientations 5–8 rotate by 90°, so the displayed ratio is the inverse of the stored one.
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = rotated ? meta.height : meta.width;
  const height = rotated ? meta.width : meta.height;
  const ratio = width / height;
  if (!anyRatio && (ratio < LIMITS.minRatio - 1e-9 || ratio > LIMITS.maxRatio + 1e-9))
    throw errors.aspectRatio();
  return { width, height };
}

/** Meta's Reels video spec (instagram-api.md §3) beyond size and duration. */
export const VIDEO_SPEC = {
  codecs: ["h264", "hevc"],
  minFrameRate: 23,
  maxFrameRate: 60,
  /** Frame rates are averages over stored durations: 59.94 and 60.02 fps are 60 fps. */
  frameRateSlack: 0.5,
  maxWidth: 1920,
  minRatio: 0.01,
  maxRatio: 10,
  maxVideoBitrate: 25_000_000,
  audioCodecs: ["aac"],
  maxAudioSampleRate: 48_000,
  maxAudioChannels: 2,
} as const;

const NOT_READABLE: Record<Exclude<VideoProbe, { ok: true }>["reason"], string> = {
  not_mp4: "unsupported video format: not an MP4/MOV file",
  no_moov: "the file has no moov atom",
  truncated: "the file is truncated",
  no_video_track: "the file has no video track",
};

/**
 * A video verdict: the subcode and `status` text an ERROR container reports (2207026, the rule it
 * breaks in parentheses), or `undefined` when the video meets the spec.
 */
export function videoProblem(
  probe: VideoProbe,
  size: number,
  surface: "REELS" | "STORIES" | "VIDEO",
): { subcode: number; status: string } | undefined {
  const why = videoRuleBroken(probe, size, surface);
  return why === undefined
    ? undefined
    : { subcode: 2207026, status: `Error: Media upload has failed with error code 2207026 (${why})` };
}

function videoRuleBroken(
  probe: VideoProbe,
  size: number,
  surface: "REELS" | "STORIES" | "VIDEO",
): string | undefined {
  const S = VIDEO_SPEC;
  const story = surface === "STORIES";
  const maxBytes = story ? LIMITS.storyVideoBytes : LIMITS.reelsBytes;
  const maxSeconds = story ? LIMITS.storyVideoMaxSeconds : LIMITS.reelsMaxSeconds;
  if (size > maxBytes) return `file larger than ${maxBytes} bytes`; // only its head was kept
  if (!probe.ok) return NOT_READABLE[probe.reason];
  const { video, audio } = probe;
  const ratio = video.height > 0 ? video.width / video.height : 0;
  const checks: [boolean, string][] = [
    [probe.faststart, "moov atom must precede mdat (faststart)"],
    [!probe.editList, "edit lists are not supported"],
    [probe.durationSeconds >= LIMITS.reelsMinSeconds, `duration under ${LIMITS.reelsMinSeconds} s`],
    [probe.durationSeconds <= maxSeconds, `duration over ${maxSeconds} s`],
    [
      video.config !== undefined && (S.codecs as readonly string[]).includes(video.config.codec),
      `video codec ${video.entry} is not H.264 or HEVC`,
    ],
    [video.config?.progressive !== false && !video.fields, "video must be progressive scan"],
    [video.closedGops !== undefined, "video samples cannot be read"],
    [video.closedGops !== false, "video must use closed GOPs"],
    [
      video.config === undefined || video.config.chroma === "420",
      `chroma subsampling ${video.config?.chroma} is not 4:2:0`,
    ],
    [
      video.frameRate >= S.minFrameRate - S.frameRateSlack,
      `frame rate ${video.frameRate.toFixed(2)} fps under 23 fps`,
    ],
    [
      video.frameRate <= S.maxFrameRate + S.frameRateSlack,
      `frame rate ${video.frameRate.toFixed(2)} fps over 60 fps`,
    ],
    [video.width <= S.maxWidth, `video ${video.width} px wide, over 1920 px`],
    [ratio >= S.minRatio && ratio <= S.maxRatio, `aspect ratio ${ratio.toFixed(3)} outside 0.01:1 to 10:1`],
    [
      video.bitrate <= S.maxVideoBitrate,
      `video bitrate ${(video.bitrate / 1e6).toFixed(1)} Mbps over 25 Mbps`,
    ],
    [
      !audio || (S.audioCodecs as readonly string[]).includes(audio.codec),
      `audio codec ${audio?.codec} is not AAC`,
    ],
    [
      !audio || audio.sampleRate <= S.maxAudioSampleRate,
      `audio sample rate ${audio?.sampleRate} Hz over 48 kHz`,
    ],
    [
      !audio || (audio.channels >= 1 && audio.channels <= S.maxAudioChannels),
      `${audio?.channels} audio channels; mono or stereo only`,
    ],
  ];
  return checks.find(([ok]) => !ok)?.[1];
}
