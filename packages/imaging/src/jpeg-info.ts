/**
 * Reads a JPEG's frame header (SOFn) without decoding it: dimensions, and whether libjpeg can decode
 * it at all (RAW files also embed lossless JPEG, SOF3, which is raw sensor data, not a picture).
 */
export interface JpegInfo {
  width: number;
  height: number;
  /** Baseline, extended or progressive DCT: decodable by libjpeg. */
  decodable: boolean;
  /** The markers ran past the end of the data before the frame header. */
  truncated: boolean;
}

const DCT_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

export function readJpegInfo(buf: Uint8Array, start = 0, end = buf.length): JpegInfo | undefined {
  if (buf[start] !== 0xff || buf[start + 1] !== 0xd8) return undefined;
  let at = start + 2;
  const limit = Math.min(end, buf.length);
  while (at + 4 <= limit) {
    if (buf[at] !== 0xff) return undefined;
    const marker = buf[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = ((buf[at + 2] ?? 0) << 8) | (buf[at + 3] ?? 0);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > limit) break;
      const height = ((buf[at + 5] ?? 0) << 8) | (buf[at + 6] ?? 0);
      const width = ((buf[at + 7] ?? 0) << 8) | (buf[at + 8] ?? 0);
      return { width, height, decodable: DCT_FRAMES.has(marker), truncated: false };
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any frame header
    at += 2 + length;
  }
  return { width: 0, height: 0, decodable: false, truncated: true };
}

/**
 * Where the JPEG that starts at 0 ends (just past its EOI marker), walking its segments and scans;
 * undefined when it never ends. Anything after that end is another file: an MPO's second image, say.
 */
export function jpegEnd(buf: Uint8Array): number | undefined {
  if (buf[0] !== 0xff || buf[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 2 <= buf.length) {
    if (buf[at] !== 0xff) return undefined;
    const marker = buf[at + 1] ?? 0;
    if (marker === 0xd9) return at + 2;
    if (marker === 0xff || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    at += 2 + (((buf[at + 2] ?? 0) << 8) | (buf[at + 3] ?? 0));
    if (marker !== 0xda) continue;
    // Entropy-coded data: a 0xFF in it is followed by 0x00 (stuffing) or a restart marker.
    while (at + 1 < buf.length) {
      const next = buf[at + 1] ?? 0;
      if (buf[at] === 0xff && next !== 0x00 && (next < 0xd0 || next > 0xd7)) break;
      at++;
    }
  }
  return undefined;
}
