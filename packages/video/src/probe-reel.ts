/**
 * Probes a video file on disk for the Reels decision: imaging's Reels probe (the same one the
 * pipeline judges videos with) over the file's header boxes, plus the details a transcode needs.
 * Only the header is read; the media data stays on disk.
 */
import { open } from "node:fs/promises";
import { detectFormat, ImagingError, probeVideo, type VideoProbe } from "@photo-relay/imaging/video";
import { readAacConfig } from "./aac-config.ts";
import { VideoError } from "./errors.ts";
import { readMovieHeader } from "./movie-header.ts";
import { readVideoDetails, type VideoDetails } from "./video-details.ts";

export type ReelProbe = VideoProbe & VideoDetails;

/**
 * @throws VideoError `corrupt_video` when the file is no readable MP4/MOV (truncated, no index,
 * no video track), `unsupported_video` for other formats.
 */
export async function probeReel(path: string): Promise<ReelProbe> {
  const head = Buffer.alloc(4096);
  const file = await open(path, "r");
  const { bytesRead } = await file.read(head, 0, head.length, 0).finally(() => file.close());
  const format = detectFormat(head.subarray(0, bytesRead));
  if (format?.kind !== "video" || (format.format !== "mp4" && format.format !== "mov")) {
    throw new VideoError(
      "unsupported_video",
      `the file is ${format?.format ?? "no known format"}, not an MP4/MOV video`,
    );
  }
  const header = await readMovieHeader(path);
  let probe: VideoProbe;
  try {
    probe = probeVideo(header.boxes, format.format);
  } catch (error) {
    if (error instanceof ImagingError) throw new VideoError("corrupt_video", error.message, { cause: error });
    throw error;
  }
  const aac = probe.audio?.codec === "aac" ? readAacConfig(header.boxes) : {};
  // imaging's probe saw only the header boxes: the size and the box order are the file's own.
  return {
    ...probe,
    ...(probe.audio && { audio: { ...probe.audio, ...aac } }),
    sizeBytes: header.sizeBytes,
    faststart: header.faststart,
    ...readVideoDetails(header.boxes),
  };
}
