/**
 * The sandbox's probe of an uploaded video, written from the container and codec specifications
 * (independently of photo-relay's own probe, so the two check each other): container brand, box
 * order, edit lists, and per track the codec, decoder configuration, size, frame rate, bitrate,
 * GOP structure and audio format that Meta's Reels rules speak about.
 */
import { type AudioFacts, readAudioEntry } from "./audio-entry.ts";
import type { ByteSource } from "./byte-source.ts";
import { readAvcC, readHvcC, type StreamConfig } from "./decoder-config.ts";
import { type Box, children, find, readTopLevel } from "./mp4-boxes.ts";
import { gopsAreClosed, readSampleTable } from "./sample-table.ts";

export interface VideoFacts {
  /** Sample entry type, e.g. "avc1", "hvc1", "mp4v". */
  entry: string;
  config?: StreamConfig;
  /** Display size (the track matrix's rotation applied). */
  width: number;
  height: number;
  frameRate: number;
  bitrate: number;
  /** Every GOP starts with a picture that needs nothing before it; undefined when unreadable. */
  closedGops?: boolean;
  /** A QuickTime `fiel` box says the frames are two fields. */
  fields: boolean;
}

export type VideoProbe =
  | { ok: false; reason: "not_mp4" | "no_moov" | "truncated" | "no_video_track" }
  | {
      ok: true;
      brand: string;
      durationSeconds: number;
      /** `moov` precedes the first `mdat`. */
      faststart: boolean;
      /** An edit list that cuts or repeats media (more than one non-empty edit, or a rate other than 1). */
      editList: boolean;
      video: VideoFacts;
      audio?: AudioFacts;
    };

export async function probeVideo(source: ByteSource): Promise<VideoProbe> {
  const top = await readTopLevel(source);
  if (top.boxes[0]?.type !== "ftyp" || top.brand === undefined) return { ok: false, reason: "not_mp4" };
  if (!top.moov) return { ok: false, reason: top.truncated ? "truncated" : "no_moov" };
  const { buf, root } = top.moov;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const mvhd = find(buf, root, "mvhd");
  const movie = mvhd ? timing(view, mvhd) : { timescale: 0, duration: 0 };
  const traks = [...children(buf, root)].filter((b) => b.type === "trak");
  const handler = (trak: Box) => {
    const hdlr = find(buf, trak, "mdia", "hdlr");
    return hdlr ? String.fromCharCode(...buf.subarray(hdlr.body + 8, hdlr.body + 12)) : "";
  };
  const videoTrak = traks.find((t) => handler(t) === "vide");
  if (!videoTrak) return { ok: false, reason: "no_video_track" };
  const video = await readVideoTrack(source, buf, view, videoTrak);
  const audioTrak = traks.find((t) => handler(t) === "soun");
  const audioTable = audioTrak && find(buf, audioTrak, "mdia", "minf", "stbl");
  const audio =
    audioTrak && audioTable && readAudioEntry(buf, view, audioTable, trackSeconds(buf, view, audioTrak));
  const moovAt = top.boxes.findIndex((b) => b.type === "moov");
  const mdatAt = top.boxes.findIndex((b) => b.type === "mdat");
  return {
    ok: true,
    brand: top.brand,
    durationSeconds: movie.timescale ? movie.duration / movie.timescale : trackSeconds(buf, view, videoTrak),
    faststart: mdatAt === -1 || moovAt < mdatAt,
    editList: traks.some((t) => cutsMedia(buf, view, t)),
    video,
    ...(audio && { audio }),
  };
}

async function readVideoTrack(
  source: ByteSource,
  buf: Uint8Array,
  view: DataView,
  trak: Box,
): Promise<VideoFacts> {
  const stbl = find(buf, trak, "mdia", "minf", "stbl");
  const stsd = stbl && find(buf, stbl, "stsd");
  const entry = stsd ? [...children(buf, stsd, 8)][0] : undefined;
  const facts: VideoFacts = {
    entry: entry?.type ?? "",
    width: 0,
    height: 0,
    frameRate: 0,
    bitrate: 0,
    fields: false,
  };
  // A visual sample entry has 78 bytes of fixed fields before its child boxes.
  for (const box of entry ? children(buf, entry, 78) : []) {
    const payload = buf.subarray(box.body, box.end);
    try {
      if (box.type === "avcC") facts.config = readAvcC(payload);
      if (box.type === "hvcC") facts.config = readHvcC(payload);
    } catch {
      // An unreadable parameter set leaves `config` unset: the rules refuse the stream.
    }
    if (box.type === "fiel") facts.fields = buf[box.body] === 2;
  }
  const tkhd = find(buf, trak, "tkhd");
  if (tkhd) {
    const matrix = tkhd.body + (buf[tkhd.body] === 1 ? 52 : 40);
    const quarterTurn = view.getInt32(matrix) === 0; // a = 0: rotated by 90° or 270°
    const w = Math.round(view.getUint32(matrix + 36) / 65536);
    const h = Math.round(view.getUint32(matrix + 40) / 65536);
    [facts.width, facts.height] = quarterTurn ? [h, w] : [w, h];
  }
  if (!stbl) return facts;
  const table = readSampleTable(buf, stbl);
  const seconds = trackSeconds(buf, view, trak);
  facts.frameRate = seconds > 0 ? table.sizes.length / seconds : 0;
  facts.bitrate = seconds > 0 ? (table.sizes.reduce((a, b) => a + b, 0) * 8) / seconds : 0;
  if (facts.config) {
    const closed = await gopsAreClosed(source, table, facts.config);
    if (closed !== undefined) facts.closedGops = closed;
  }
  return facts;
}

function timing(view: DataView, box: Box): { timescale: number; duration: number } {
  const v1 = view.getUint8(box.body) === 1;
  return v1
    ? { timescale: view.getUint32(box.body + 20), duration: Number(view.getBigUint64(box.body + 24)) }
    : { timescale: view.getUint32(box.body + 12), duration: view.getUint32(box.body + 16) };
}

function trackSeconds(buf: Uint8Array, view: DataView, trak: Box): number {
  const mdhd = find(buf, trak, "mdia", "mdhd");
  const t = mdhd ? timing(view, mdhd) : { timescale: 0, duration: 0 };
  return t.timescale ? t.duration / t.timescale : 0;
}

function cutsMedia(buf: Uint8Array, view: DataView, trak: Box): boolean {
  const elst = find(buf, trak, "edts", "elst");
  if (!elst) return false;
  const v1 = view.getUint8(elst.body) === 1;
  const entrySize = v1 ? 20 : 12;
  let nonEmpty = 0;
  for (let i = 0; i < view.getUint32(elst.body + 4) && elst.body + 8 + (i + 1) * entrySize <= elst.end; i++) {
    const at = elst.body + 8 + i * entrySize + (v1 ? 8 : 4);
    const mediaTime = v1 ? Number(view.getBigInt64(at)) : view.getInt32(at);
    const rate = view.getInt16(at + (v1 ? 8 : 4));
    if (mediaTime === -1) continue;
    if (rate !== 1) return true;
    nonEmpty++;
  }
  return nonEmpty > 1;
}
