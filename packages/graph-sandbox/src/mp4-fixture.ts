/**
 * Builds a tiny MP4 box structure (ftyp + moov/mvhd + mdat) that passes or fails the sandbox's Reels
 * checks on purpose. It does not decode: there are no tracks, only the boxes Meta's rules talk about.
 */
export interface Mp4FixtureOptions {
  durationSeconds: number;
  /** `moov` before `mdat` (default true); false puts `mdat` first, as a non-faststart encode does. */
  faststart?: boolean;
  /** Payload size of the `mdat` box in bytes (default 1024). */
  mdatBytes?: number;
  /** Major brand: "isom"/"mp42" for MP4, "qt  " for MOV. */
  brand?: string;
}

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

function mvhd(timescale: number, duration: number): Uint8Array {
  const body = new Uint8Array(100); // version 0: fixed 100-byte body
  const view = new DataView(body.buffer);
  view.setUint32(12, timescale);
  view.setUint32(16, duration);
  view.setUint32(20, 0x00010000); // rate 1.0
  view.setUint16(24, 0x0100); // volume 1.0
  view.setUint32(96, 2); // next track id
  return box("mvhd", body);
}

export function makeMp4(options: Mp4FixtureOptions): Uint8Array<ArrayBuffer> {
  const brand = (options.brand ?? "isom").padEnd(4).slice(0, 4);
  const ftypBody = new Uint8Array(16);
  ftypBody.set(new TextEncoder().encode(`${brand}\0\0\u0002\0isommp41`));
  const ftyp = box("ftyp", ftypBody);
  const timescale = 1000;
  const moov = box("moov", mvhd(timescale, Math.round(options.durationSeconds * timescale)));
  const mdat = box("mdat", new Uint8Array(options.mdatBytes ?? 1024));
  const parts = options.faststart === false ? [ftyp, mdat, moov] : [ftyp, moov, mdat];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
