/**
 * What imaging's Reels probe does not read but a transcode must know: bit depth, colour (HDR
 * transfer), a variable frame rate, interlacing, and whether the file carries a location. Read from
 * the `moov` box of the video track (`stsd` sample entry, `stts`) and the movie's metadata.
 */
import { type Box, child, children, trackOf } from "./box-walk.ts";

export interface VideoDetails {
  /** Luma bit depth of the video track (8 when the decoder configuration does not say). */
  bitDepth: number;
  /** ISO/IEC 23091-2 code points from the sample entry's `colr` box, when present. */
  colour?: { primaries: number; transfer: number; matrix: number };
  /** High dynamic range by transfer: PQ (SMPTE ST 2084, 16) or HLG (ARIB STD-B67, 18). */
  hdr?: "pq" | "hlg";
  /** Frame durations differ (phones drop to fewer frames in low light). */
  variableFrameRate: boolean;
  /** With a variable frame rate, the rate of the shortest frame duration. */
  peakFrameRate?: number;
  /** The sample entry says the frames are fields (`fiel` with 2 fields). */
  interlaced: boolean;
  /** The movie metadata carries a GPS position (QuickTime `©xyz` or Apple's location key). */
  hasLocation: boolean;
}

/** Reads the details from `boxes` (ftyp + moov, as `readMovieHeader` returns them). */
export function readVideoDetails(boxes: Buffer): VideoDetails {
  const top: Box = { type: "", body: 0, end: boxes.length };
  const moov = child(boxes, top, "moov");
  const hasLocation =
    boxes.includes(Buffer.from([0xa9, 0x78, 0x79, 0x7a])) || boxes.includes("com.apple.quicktime.location");
  const details: VideoDetails = { bitDepth: 8, variableFrameRate: false, interlaced: false, hasLocation };
  const trak = trackOf(boxes, moov, "vide");
  const stbl = trak && child(boxes, trak, "mdia", "minf", "stbl");
  if (!stbl) return details;
  const stsd = child(boxes, stbl, "stsd");
  const entry = stsd && [...children(boxes, stsd.body + 8, stsd.end)][0];
  // A visual sample entry has 78 bytes of fixed fields before its child boxes.
  for (const box of entry ? children(boxes, entry.body + 78, entry.end) : []) {
    if (box.type === "colr") readColour(boxes, box, details);
    if (box.type === "hvcC" && box.body + 18 <= box.end)
      details.bitDepth = ((boxes[box.body + 17] ?? 0) & 7) + 8;
    if (box.type === "avcC") details.bitDepth = avcBitDepth(boxes, box);
    if (box.type === "fiel") details.interlaced = boxes[box.body] === 2;
  }
  const stts = child(boxes, stbl, "stts");
  const mdhd = child(boxes, trak, "mdia", "mdhd");
  const timescale = mdhd ? boxes.readUInt32BE(mdhd.body + (boxes[mdhd.body] === 1 ? 20 : 12)) : 0;
  if (stts) {
    const timing = frameTiming(boxes, stts, timescale);
    details.variableFrameRate = timing.variable;
    if (timing.peakFrameRate) details.peakFrameRate = timing.peakFrameRate;
  }
  return details;
}

function readColour(buf: Buffer, colr: Box, details: VideoDetails): void {
  const kind = buf.toString("latin1", colr.body, colr.body + 4);
  if ((kind !== "nclx" && kind !== "nclc") || colr.body + 10 > colr.end) return;
  const colour = {
    primaries: buf.readUInt16BE(colr.body + 4),
    transfer: buf.readUInt16BE(colr.body + 6),
    matrix: buf.readUInt16BE(colr.body + 8),
  };
  details.colour = colour;
  if (colour.transfer === 16) details.hdr = "pq";
  if (colour.transfer === 18) details.hdr = "hlg";
}

/** avcC: High profiles append chroma format and bit depths after the parameter sets. */
function avcBitDepth(buf: Buffer, avcC: Box): number {
  const profile = buf[avcC.body + 1] ?? 0;
  if (![100, 110, 122, 144, 244].includes(profile)) return 8;
  let at = avcC.body + 6;
  for (let n = (buf[avcC.body + 5] ?? 0) & 0x1f; n > 0 && at + 2 <= avcC.end; n--)
    at += 2 + buf.readUInt16BE(at);
  for (let n = buf[at++] ?? 0; n > 0 && at + 2 <= avcC.end; n--) at += 2 + buf.readUInt16BE(at);
  return at + 1 < avcC.end ? ((buf[at + 1] ?? 0) & 7) + 8 : 8;
}

/**
 * Variable when sample durations differ by more than 2 %; the peak rate is the one of the shortest
 * duration (a "30 fps" phone video that dips keeps 30 fps as its rate). The last sample is left
 * out: muxers often give it whatever duration ends the track.
 */
function frameTiming(
  buf: Buffer,
  stts: Box,
  timescale: number,
): { variable: boolean; peakFrameRate?: number } {
  const count = buf.readUInt32BE(stts.body + 4);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < count && stts.body + 16 + i * 8 <= stts.end; i++) {
    const samples = buf.readUInt32BE(stts.body + 8 + i * 8);
    const delta = buf.readUInt32BE(stts.body + 12 + i * 8);
    if (i === count - 1 && samples === 1 && count > 1) break;
    if (delta === 0) continue;
    min = Math.min(min, delta);
    max = Math.max(max, delta);
  }
  const variable = max > min * 1.02;
  return variable && timescale > 0 ? { variable, peakFrameRate: timescale / min } : { variable };
}
