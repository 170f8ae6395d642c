/**
 * Probes an MP4/MOV from its boxes alone (no decoder, no ffprobe in Lambda): container, codecs,
 * duration, frame rate, display size, bitrate and whether the index (moov) comes first.
 */
import { ImagingError } from "./errors.ts";
import { type Box, findAll, findBox, readBoxes } from "./iso-bmff.ts";
import type { VideoProbe } from "./types.ts";

interface Track {
  handler: string;
  timescale: number;
  duration: number;
  sampleEntry?: Box;
  sampleCount: number;
  sampleBytes: number;
  width: number;
  height: number;
  rotation: VideoProbe["rotation"];
  realEdits: boolean;
}

export function probeVideo(input: Buffer, container: "mp4" | "mov"): VideoProbe {
  const top = readBoxes(input);
  const moov = top.find((b) => b.type === "moov");
  const mdat = top.find((b) => b.type === "mdat");
  if (!moov) {
    throw new ImagingError(
      mdat ? "truncated" : "corrupt_image",
      mdat ? "video has media data but no index (moov): the upload was cut short" : "video has no moov box",
    );
  }
  const ftyp = top.find((b) => b.type === "ftyp");
  const brand = ftyp ? input.toString("latin1", ftyp.body, ftyp.body + 4) : undefined;
  const mvhd = findBox(input, moov, "mvhd");
  const movie = mvhd ? timing(input, mvhd.body, 12) : { timescale: 0, duration: 0 };
  const tracks = findAll(input, moov, "trak").map((trak) => readTrack(input, trak));
  const video = tracks.find((t) => t.handler === "vide");
  if (!video?.sampleEntry) throw new ImagingError("unsupported_format", "the file has no video track");
  const audio = tracks.find((t) => t.handler === "soun" && t.sampleEntry);

  const videoSeconds = video.timescale ? video.duration / video.timescale : 0;
  const durationSeconds = movie.timescale ? movie.duration / movie.timescale : videoSeconds;
  const swap = video.rotation === 90 || video.rotation === 270;
  const entry = video.sampleEntry;
  return {
    container,
    ...(brand !== undefined && { brand }),
    sizeBytes: input.length,
    durationSeconds,
    width: swap ? video.height : video.width,
    height: swap ? video.width : video.height,
    frameRate: videoSeconds > 0 ? video.sampleCount / videoSeconds : 0,
    videoCodec: codecName(entry.type),
    videoBitrate: videoSeconds > 0 ? Math.round((video.sampleBytes * 8) / videoSeconds) : 0,
    ...chromaOf(input, entry),
    rotation: video.rotation,
    ...(audio?.sampleEntry && { audio: readAudioEntry(input, audio.sampleEntry) }),
    faststart: mdat === undefined || moov.start < mdat.start,
    editList: tracks.some((t) => t.realEdits),
  };
}

/** mvhd/mdhd: version 0 has 32-bit times, version 1 64-bit; `skip32` is the bytes before timescale in v0. */
function timing(buf: Buffer, body: number, skip32: number): { timescale: number; duration: number } {
  const version = buf[body] ?? 0;
  if (version === 1)
    return { timescale: buf.readUInt32BE(body + 20), duration: Number(buf.readBigUInt64BE(body + 24)) };
  return { timescale: buf.readUInt32BE(body + skip32), duration: buf.readUInt32BE(body + skip32 + 4) };
}

function readTrack(buf: Buffer, trak: Box): Track {
  const tkhd = findBox(buf, trak, "tkhd");
  const mdhd = findBox(buf, trak, "mdia", "mdhd");
  const hdlr = findBox(buf, trak, "mdia", "hdlr");
  const stbl = findBox(buf, trak, "mdia", "minf", "stbl");
  const elst = findBox(buf, trak, "edts", "elst");
  const stsd = stbl && findBox(buf, stbl, "stsd");
  const { timescale, duration } = mdhd ? timing(buf, mdhd.body, 12) : { timescale: 0, duration: 0 };
  const track: Track = {
    handler: hdlr ? buf.toString("latin1", hdlr.body + 8, hdlr.body + 12) : "",
    timescale,
    duration,
    sampleCount: 0,
    sampleBytes: 0,
    width: 0,
    height: 0,
    rotation: 0,
    realEdits: elst ? hasRealEdits(buf, elst) : false,
  };
  if (stsd) {
    // stsd: version/flags, entry count, then the sample entries as boxes.
    const entry = readBoxes(buf, stsd.body + 8, stsd.end)[0];
    if (entry) track.sampleEntry = entry;
  }
  if (tkhd) {
    const v1 = buf[tkhd.body] === 1;
    const matrix = tkhd.body + (v1 ? 52 : 40);
    const a = buf.readInt32BE(matrix) / 65536;
    const b = buf.readInt32BE(matrix + 4) / 65536;
    const degrees = ((Math.round((Math.atan2(b, a) * 180) / Math.PI / 90) * 90) % 360) + 360;
    track.rotation = (degrees % 360) as Track["rotation"];
    track.width = Math.round(buf.readUInt32BE(matrix + 36) / 65536);
    track.height = Math.round(buf.readUInt32BE(matrix + 40) / 65536);
  }
  if (stbl) {
    const stts = findBox(buf, stbl, "stts");
    if (stts) {
      const entries = buf.readUInt32BE(stts.body + 4);
      for (let i = 0; i < entries && stts.body + 16 + i * 8 <= stts.end; i++) {
        track.sampleCount += buf.readUInt32BE(stts.body + 8 + i * 8);
      }
    }
    const stsz = findBox(buf, stbl, "stsz");
    if (stsz) {
      const size = buf.readUInt32BE(stsz.body + 4);
      const count = buf.readUInt32BE(stsz.body + 8);
      if (size !== 0) track.sampleBytes = size * count;
      else
        for (let i = 0; i < count && stsz.body + 16 + i * 4 <= stsz.end; i++) {
          track.sampleBytes += buf.readUInt32BE(stsz.body + 12 + i * 4);
        }
    }
  }
  return track;
}

/**
 * Phones and encoders write a one-entry edit list (or an initial empty edit) just to shift the start;
 * only more than one non-empty edit cuts or repeats media, which Reels rejects.
 */
function hasRealEdits(buf: Buffer, elst: Box): boolean {
  const v1 = buf[elst.body] === 1;
  const count = buf.readUInt32BE(elst.body + 4);
  const size = v1 ? 20 : 12;
  let nonEmpty = 0;
  for (let i = 0; i < count && elst.body + 8 + (i + 1) * size <= elst.end; i++) {
    const at = elst.body + 8 + i * size + (v1 ? 8 : 4);
    const mediaTime = v1 ? Number(buf.readBigInt64BE(at)) : buf.readInt32BE(at);
    if (mediaTime !== -1) nonEmpty++;
  }
  return nonEmpty > 1;
}

function codecName(type: string): string {
  if (type === "avc1" || type === "avc3") return "h264";
  if (type === "hvc1" || type === "hev1") return "hevc";
  if (type === "mp4a") return "aac";
  return type.trim();
}

const CHROMA = ["400", "420", "422", "444"] as const;

/** 4:2:0 or not, from avcC (High profiles say so; others are always 4:2:0) or hvcC. */
function chromaOf(buf: Buffer, entry: Box): { chroma?: NonNullable<VideoProbe["chroma"]> } {
  const children = readBoxes(buf, entry.body + 78, entry.end);
  const hvcC = children.find((b) => b.type === "hvcC");
  if (hvcC && hvcC.body + 17 <= hvcC.end) return { chroma: CHROMA[(buf[hvcC.body + 16] ?? 0) & 3] ?? "420" };
  const avcC = children.find((b) => b.type === "avcC");
  if (!avcC) return {};
  const profile = buf[avcC.body + 1] ?? 0;
  if (![100, 110, 122, 144].includes(profile)) return { chroma: "420" };
  let at = avcC.body + 6;
  for (let n = (buf[avcC.body + 5] ?? 0) & 0x1f; n > 0 && at + 2 <= avcC.end; n--)
    at += 2 + buf.readUInt16BE(at);
  for (let n = buf[at++] ?? 0; n > 0 && at + 2 <= avcC.end; n--) at += 2 + buf.readUInt16BE(at);
  return at < avcC.end ? { chroma: CHROMA[(buf[at] ?? 0) & 3] ?? "420" } : { chroma: "420" };
}

function readAudioEntry(buf: Buffer, entry: Box): { codec: string; sampleRate: number; channels: number } {
  const body = entry.body;
  const version = buf.readUInt16BE(body + 8); // QuickTime sound description version (0 in ISO files)
  if (version === 2) {
    return {
      codec: codecName(entry.type),
      sampleRate: buf.readDoubleBE(body + 32),
      channels: buf.readUInt32BE(body + 40),
    };
  }
  return {
    codec: codecName(entry.type),
    sampleRate: buf.readUInt32BE(body + 24) >>> 16,
    channels: buf.readUInt16BE(body + 16),
  };
}
