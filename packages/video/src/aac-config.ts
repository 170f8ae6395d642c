/**
 * AAC's real sample rate and channel count, from the AudioSpecificConfig in the audio track's
 * `esds` (ISO/IEC 14496-3 §1.6.2.1). The sample entry's own fields cannot hold 96 kHz (16.16 fixed
 * point) and often say 2 channels for 5.1, so a probe that trusts them would pass such audio through.
 */
import { type Box, child, children, trackOf } from "./box-walk.ts";

const RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

export function readAacConfig(boxes: Buffer): { sampleRate?: number; channels?: number } {
  const moov = child(boxes, { type: "", body: 0, end: boxes.length }, "moov");
  const trak = trackOf(boxes, moov, "soun");
  const stsd = trak && child(boxes, trak, "mdia", "minf", "stbl", "stsd");
  const entry = stsd && [...children(boxes, stsd.body + 8, stsd.end)][0];
  if (entry?.type !== "mp4a" || entry.body + 28 > entry.end) return {};
  // Sound sample description: 28 bytes in ISO files and QuickTime v0, 44 in v1, 64 in v2.
  const version = boxes.readUInt16BE(entry.body + 8);
  const found = [...children(boxes, entry.body + (version === 1 ? 44 : version === 2 ? 64 : 28), entry.end)];
  const esds =
    found.find((b) => b.type === "esds") ??
    found.filter((b) => b.type === "wave").map((w) => child(boxes, w, "esds"))[0];
  const asc = esds && decoderSpecificInfo(boxes, esds);
  return asc ? parseAsc(asc) : {};
}

/** The DecoderSpecificInfo (tag 5) inside the ES_Descriptor (3) / DecoderConfigDescriptor (4). */
function decoderSpecificInfo(buf: Buffer, esds: Box): Buffer | undefined {
  let at = esds.body + 4;
  while (at < esds.end) {
    const tag = buf[at++] ?? 0;
    let size = 0;
    for (let i = 0; i < 4; i++) {
      const byte = buf[at++] ?? 0;
      size = (size << 7) | (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    if (tag === 5) return buf.subarray(at, Math.min(at + size, esds.end));
    if (tag === 3) {
      const flags = buf[at + 2] ?? 0;
      at += 3 + (flags & 0x80 ? 2 : 0);
      if (flags & 0x40) at += 1 + (buf[at] ?? 0);
      if (flags & 0x20) at += 2;
    } else if (tag === 4) at += 13;
    else at += size;
  }
  return undefined;
}

function parseAsc(asc: Buffer): { sampleRate?: number; channels?: number } {
  const bits = (from: number, count: number) => {
    let value = 0;
    for (let i = from; i < from + count; i++) value = value * 2 + (((asc[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
    return value;
  };
  let at = bits(0, 5) === 31 ? 11 : 5;
  const index = bits(at, 4);
  at += 4;
  const sampleRate = index === 15 ? bits(at, 24) : RATES[index];
  if (index === 15) at += 24;
  const layout = bits(at, 4);
  const channels = layout === 7 ? 8 : layout > 0 ? layout : undefined; // 0: "said elsewhere"
  return { ...(sampleRate && { sampleRate }), ...(channels && { channels }) };
}
