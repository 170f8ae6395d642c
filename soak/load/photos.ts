/**
 * The soak's photos, made with sharp on the fly (no corpus needed): one camera-like base JPEG per
 * size, and per frame a copy with bytes of its own (a COM segment naming it, so a photo id of its
 * own) padded with APP15 segments to the camera's file size (≈ 20 MB for a D800 JPEG). A NEF is a
 * little-endian TIFF (Make NIKON) whose IFD0 carries that JPEG as its preview (what convert takes
 * from a real NEF) and a random "sensor" strip that runs to the end of the file (≈ 75 MB).
 * Frames of one burst share a scene (same base), so the burst policy sees them as one burst.
 */
import { randomFillSync } from "node:crypto";
import sharp from "sharp";

export interface PhotoSizes {
  /** The base image's long side, in pixels (what convert decodes). */
  pixels: number;
  jpegBytes: number;
  nefBytes: number;
}

/**
 * The base JPEGs made lately, by scene. A burst's frames share one and come one after another;
 * every phone photo has a scene of its own, so kept for good they were a few hundred MB by the
 * end of a full run. A scene made again gives the same bytes (the same SVG through sharp).
 */
const bases = new Map<string, Promise<Buffer>>();
export const BASES_KEPT = 8;

/** How many base JPEGs are kept now (for the test of the bound). */
export const basesKept = (): number => bases.size;

/** A landscape-like gradient with texture, scene `scene` (a burst's frames share one). */
export function baseJpeg(scene: number, pixels: number): Promise<Buffer> {
  const key = `${scene}:${pixels}`;
  let base = bases.get(key);
  // Set again below, so the order of the map is the order of use.
  if (base) bases.delete(key);
  else {
    const width = pixels;
    const height = Math.round((pixels * 2) / 3);
    const hue = (scene * 47) % 360;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
      <defs><linearGradient id="g" x1="0" y1="0" x2="${(scene % 3) / 2}" y2="1">
        <stop offset="0" stop-color="hsl(${hue},60%,70%)"/><stop offset="1" stop-color="hsl(${(hue + 90) % 360},50%,25%)"/>
      </linearGradient></defs>
      <rect width="100%" height="100%" fill="url(#g)"/>
      <circle cx="${((scene * 131) % 80) + 10}%" cy="${((scene * 71) % 60) + 20}%" r="${height / 5}" fill="hsl(${(hue + 180) % 360},70%,50%)"/>
      <rect x="${(scene * 37) % 50}%" y="55%" width="30%" height="25%" fill="hsl(${(hue + 240) % 360},40%,35%)"/>
    </svg>`;
    base = sharp(Buffer.from(svg))
      .jpeg({ quality: 88 })
      .withExifMerge({ IFD0: { Make: "NIKON CORPORATION", Model: "NIKON D800" } })
      .toBuffer();
  }
  bases.set(key, base);
  for (const oldest of bases.keys()) {
    if (bases.size <= BASES_KEPT) break;
    bases.delete(oldest);
  }
  return base;
}

/**
 * `base` with a COM segment naming `nonce` after SOI, padded with APP15 segments to `bytes`.
 * Written into one buffer of the final size: built from parts and concatenated, each 20 MB frame
 * cost twice its size while it was made.
 */
export function frameJpeg(base: Buffer, nonce: string, bytes: number): Buffer {
  const comment = Buffer.from(`photo-relay soak ${nonce}`);
  const paddings: number[] = [];
  let size = base.length + comment.length + 4;
  while (size + 4 < bytes) {
    const payload = Math.min(65_000, bytes - size - 4);
    paddings.push(payload);
    size += payload + 4;
  }
  const frame = Buffer.allocUnsafe(size);
  let at = base.copy(frame, 0, 0, 2);
  const head = (marker: number, length: number) => {
    frame.writeUInt16BE(marker, at);
    frame.writeUInt16BE(length + 2, at + 2);
    at += 4;
  };
  head(0xfffe, comment.length);
  at += comment.copy(frame, at);
  for (const payload of paddings) {
    head(0xffef, payload);
    randomFillSync(frame, at, payload);
    at += payload;
  }
  base.copy(frame, at, 2);
  return frame;
}

/** A NEF-like RAW of `bytes` carrying `preview` (a JPEG) as IFD0's JPEG preview. */
export function nefWithPreview(preview: Buffer, bytes: number): Buffer {
  const make = Buffer.from("NIKON CORPORATION\0", "latin1");
  const headerEnd = 256;
  const previewAt = headerEnd;
  const stripAt = previewAt + preview.length;
  const size = Math.max(bytes, stripAt + 1024);
  const file = Buffer.alloc(size);
  Buffer.from("II*\0", "latin1").copy(file, 0);
  file.writeUInt32LE(8, 4);
  const makeAt = 200;
  make.copy(file, makeAt);
  const entries: Array<[tag: number, type: number, count: number, value: number]> = [
    [0x0100, 4, 1, 7360], // ImageWidth
    [0x0101, 4, 1, 4912], // ImageLength
    [0x0103, 3, 1, 1], // Compression: none
    [0x010f, 2, make.length, makeAt], // Make
    [0x0111, 4, 1, stripAt], // StripOffsets
    [0x0117, 4, 1, size - stripAt], // StripByteCounts: to the end of the file
    [0x0201, 4, 1, previewAt], // JPEGInterchangeFormat
    [0x0202, 4, 1, preview.length], // JPEGInterchangeFormatLength
  ];
  file.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, count, value], i) => {
    const at = 10 + i * 12;
    file.writeUInt16LE(tag, at);
    file.writeUInt16LE(type, at + 2);
    file.writeUInt32LE(count, at + 4);
    if (type === 3) file.writeUInt16LE(value, at + 8);
    else file.writeUInt32LE(value, at + 8);
  });
  file.writeUInt32LE(0, 10 + entries.length * 12);
  preview.copy(file, previewAt);
  // In place: a 75 MB random buffer copied in would double the NEF's memory while it is made.
  randomFillSync(file, stripAt, size - stripAt);
  file[size - 1] = 0x5a;
  return file;
}
