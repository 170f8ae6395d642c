/**
 * An audio track's format as Meta's rule reads it (AAC, ≤ 48 kHz, mono or stereo): the sample entry
 * (ISO or QuickTime sound description), and for `mp4a` the codec that the `esds` decoder config
 * names, since MP3 and AAC share that sample entry type.
 */
import { type Box, children, find } from "./mp4-boxes.ts";
import { readSampleTable } from "./sample-table.ts";

export interface AudioFacts {
  /** Sample entry type, e.g. "mp4a", "ac-3", "lpcm". */
  entry: string;
  /** "aac", "mp3", or the entry type for anything else. */
  codec: string;
  sampleRate: number;
  channels: number;
  bitrate: number;
}

/** MPEG-4 object type indications (ISO/IEC 14496-1 table 5) for the audio codecs seen in `mp4a`. */
const OBJECT_TYPES: Record<number, string> = {
  64: "aac",
  102: "aac",
  103: "aac",
  104: "aac",
  105: "mp3",
  107: "mp3",
};

export function readAudioEntry(
  buf: Uint8Array,
  view: DataView,
  stbl: Box,
  seconds: number,
): AudioFacts | undefined {
  const stsd = find(buf, stbl, "stsd");
  const entry = stsd ? [...children(buf, stsd, 8)][0] : undefined;
  if (!entry || entry.body + 28 > entry.end) return undefined;
  const version = view.getUint16(entry.body + 8); // QuickTime sound description version; 0 in ISO files
  let channels = view.getUint16(entry.body + 16);
  let sampleRate = view.getUint32(entry.body + 24) >>> 16;
  if (version === 2 && entry.body + 48 <= entry.end) {
    sampleRate = view.getFloat64(entry.body + 32);
    channels = view.getUint32(entry.body + 40);
  }
  const skip = version === 1 ? 44 : version === 2 ? 64 : 28;
  const boxes = [...children(buf, entry, skip)];
  const esds =
    boxes.find((b) => b.type === "esds") ??
    boxes.filter((b) => b.type === "wave").map((w) => find(buf, w, "esds"))[0];
  const { objectType, specific } = readEsds(buf, esds);
  const codec = entry.type === "mp4a" ? (OBJECT_TYPES[objectType ?? -1] ?? "mp4a-unknown") : entry.type;
  if (codec === "aac" && specific)
    ({ sampleRate = sampleRate, channels = channels } = readAudioSpecificConfig(specific));
  const bytes = readSampleTable(buf, stbl).sizes.reduce((a, b) => a + b, 0);
  return { entry: entry.type, codec, sampleRate, channels, bitrate: seconds > 0 ? (bytes * 8) / seconds : 0 };
}

/** Walks esds's descriptors (tag, 1–4 byte size): DecoderConfigDescriptor (4) and its DecoderSpecificInfo (5). */
function readEsds(buf: Uint8Array, esds: Box | undefined): { objectType?: number; specific?: Uint8Array } {
  const found: { objectType?: number; specific?: Uint8Array } = {};
  if (!esds) return found;
  let at = esds.body + 4; // version and flags
  while (at < esds.end) {
    const tag = buf[at++] ?? 0;
    let size = 0;
    for (let i = 0; i < 4; i++) {
      const byte = buf[at++] ?? 0;
      size = (size << 7) | (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    if (tag === 3) {
      // ES_Descriptor: ES_ID, flags, then optional fields; its sub-descriptors follow.
      const flags = buf[at + 2] ?? 0;
      at += 3;
      if (flags & 0x80) at += 2;
      if (flags & 0x40) at += 1 + (buf[at] ?? 0);
      if (flags & 0x20) at += 2;
      continue;
    }
    if (tag === 4) {
      found.objectType = buf[at] ?? 0;
      at += 13; // objectType, stream type, buffer size, max and average bitrate; sub-descriptors follow
      continue;
    }
    if (tag === 5) found.specific = buf.subarray(at, Math.min(at + size, esds.end));
    at += size;
  }
  return found;
}

const AAC_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

/**
 * The AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) holds AAC's real sample rate and channel
 * layout; the sample entry's fields cannot say 96 kHz (16.16 fixed point) and often say 2 channels.
 */
function readAudioSpecificConfig(asc: Uint8Array): { sampleRate?: number; channels?: number } {
  const bits = (from: number, count: number) => {
    let value = 0;
    for (let i = from; i < from + count; i++) value = value * 2 + (((asc[i >> 3] ?? 0) >> (7 - (i & 7))) & 1);
    return value;
  };
  let at = 5;
  if (bits(0, 5) === 31) at += 6; // escaped object type
  const index = bits(at, 4);
  at += 4;
  const sampleRate = index === 15 ? bits(at, 24) : AAC_RATES[index];
  if (index === 15) at += 24;
  const layout = bits(at, 4);
  // Channel configurations 1–6 are 1–6 channels, 7 is 7.1 (8); 0 means "given elsewhere".
  const channels = layout === 7 ? 8 : layout > 0 ? layout : undefined;
  return { ...(sampleRate && { sampleRate }), ...(channels && { channels }) };
}
