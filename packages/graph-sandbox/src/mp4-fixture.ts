/**
 * Builds a small MP4 with the structure of a real Reel, made without an encoder: one H.264 High
 * 1080 × 1920 track at 30 fps whose decoder configuration comes from a real x264 encode, IDR
 * keyframes every second (closed GOPs) and placeholder slices. The sandbox's probe reads boxes and
 * NAL headers, not pixels, so it accepts it as a Reel; options break one rule on purpose.
 */
export interface Mp4FixtureOptions {
  durationSeconds: number;
  /** `moov` before `mdat` (default true); false puts `mdat` first, as a non-faststart encode does. */
  faststart?: boolean;
  /** Least payload size of the `mdat` box in bytes (default 1024; grows to hold every sample). */
  mdatBytes?: number;
  /** Major brand: "isom"/"mp42" for MP4, "qt  " for MOV. */
  brand?: string;
  /** Give the track an edit list that plays its first second twice (default false). */
  repeatFirstSecond?: boolean;
}

/** avcC of x264 (High, level 4.0, 1080 × 1920, 4:2:0, 8-bit, progressive). */
const AVCC = Buffer.from(
  "01640028ffe1001b67640028acd9404403c797c044000003000400000300f03c60c65801000668eae3cb22c0",
  "hex",
);
const FPS = 30;
const TIMESCALE = 15360;
const [WIDTH, HEIGHT] = [1080, 1920];

function box(type: string, ...payload: Uint8Array[]): Uint8Array {
  const size = 8 + payload.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, size);
  out.set(new TextEncoder().encode(type), 4);
  let at = 8;
  for (const p of payload) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** A payload of big-endian 32-bit words (most of these boxes are nothing else). */
const words = (...values: number[]) => {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    view.setUint32(i * 4, v);
  });
  return out;
};

const UNITY = [0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000];

function moov(samples: number, sampleSize: number, mdatPayloadAt: number, repeat: boolean): Uint8Array {
  const duration = samples * (TIMESCALE / FPS);
  const mvhd = box(
    "mvhd",
    words(0, 0, 0, TIMESCALE, duration, 0x10000, 0x01000000, 0, 0, ...UNITY, 0, 0, 0, 0, 0, 0, 2),
  );
  const tkhd = box("tkhd", words(3, 0, 0, 1, 0, duration, 0, 0, 0, 0, ...UNITY, WIDTH << 16, HEIGHT << 16));
  const mdhd = box("mdhd", words(0, 0, 0, TIMESCALE, duration, 0x55c40000));
  const hdlr = box(
    "hdlr",
    words(0, 0),
    new TextEncoder().encode("vide"),
    words(0, 0, 0),
    new Uint8Array([0]),
  );
  const visual = new Uint8Array(78);
  const v = new DataView(visual.buffer);
  v.setUint16(6, 1); // data reference index
  v.setUint16(24, WIDTH);
  v.setUint16(26, HEIGHT);
  v.setUint32(28, 0x00480000); // 72 dpi
  v.setUint32(32, 0x00480000);
  v.setUint16(40, 1); // frame count
  v.setUint16(74, 0x18); // depth
  v.setInt16(76, -1);
  const stsd = box("stsd", words(0, 1), box("avc1", visual, box("avcC", AVCC)));
  const keyframes = Array.from({ length: Math.ceil(samples / FPS) }, (_, i) => i * FPS + 1);
  const stbl = box(
    "stbl",
    stsd,
    box("stts", words(0, 1, samples, TIMESCALE / FPS)),
    box("stss", words(0, keyframes.length, ...keyframes)),
    box("stsc", words(0, 1, 1, samples, 1)),
    box("stsz", words(0, sampleSize, samples)),
    box("stco", words(0, 1, mdatPayloadAt)),
  );
  const dinf = box("dinf", box("dref", words(0, 1), box("url ", words(1))));
  const minf = box("minf", box("vmhd", words(1, 0, 0)), dinf, stbl);
  // elst v0 entries: segment duration (movie timescale), media time, rate 1.0.
  const second = TIMESCALE;
  const edts = box("edts", box("elst", words(0, 2, second, 0, 0x10000, duration, 0, 0x10000)));
  const trak = repeat
    ? box("trak", tkhd, edts, box("mdia", mdhd, hdlr, minf))
    : box("trak", tkhd, box("mdia", mdhd, hdlr, minf));
  return box("moov", mvhd, trak);
}

export function makeMp4(options: Mp4FixtureOptions): Uint8Array<ArrayBuffer> {
  const brand = (options.brand ?? "isom").padEnd(4).slice(0, 4);
  const ftyp = box("ftyp", new TextEncoder().encode(`${brand}\0\0\u0002\0isomiso2avc1mp41`));
  const samples = Math.max(1, Math.round(options.durationSeconds * FPS));
  const sampleSize = Math.max(16, Math.floor((options.mdatBytes ?? 1024) / samples));
  const payload = new Uint8Array(samples * sampleSize);
  const view = new DataView(payload.buffer);
  for (let i = 0; i < samples; i++) {
    view.setUint32(i * sampleSize, sampleSize - 4); // one NAL unit filling the sample
    payload[i * sampleSize + 4] = i % FPS === 0 ? 0x65 : 0x41; // IDR slice / non-IDR slice
  }
  const mdat = box("mdat", payload);
  const faststart = options.faststart !== false;
  const repeat = options.repeatFirstSecond === true;
  const moovSize = moov(samples, sampleSize, 0, repeat).byteLength;
  const payloadAt = ftyp.byteLength + (faststart ? moovSize : 0) + 8;
  const index = moov(samples, sampleSize, payloadAt, repeat);
  const parts = faststart ? [ftyp, index, mdat] : [ftyp, mdat, index];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
