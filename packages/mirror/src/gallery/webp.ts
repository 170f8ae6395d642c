/**
 * A WebP file's RIFF chunks (the convert stage writes thumbnails as WebP). The RIFF size must
 * match the file exactly (no truncation, nothing appended). Allowed: the bitstream chunks (VP8,
 * VP8L, VP8X, ALPH, ANIM, ANMF), ICC profiles, and EXIF and XMP, handed to the checks.
 */
import { type Findings, label } from "./findings.ts";

const ALLOWED = new Set(["VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"]);
const EXIF_PREFIX = Buffer.from("Exif\0\0", "latin1");

/** The canvas size, after checking every chunk of `bytes` (which starts with RIFF…WEBP). */
export function checkWebp(bytes: Buffer, findings: Findings): { width: number; height: number } {
  if (bytes.length < 12 || bytes.readUInt32LE(4) + 8 !== bytes.length) {
    throw findings.invalid("its RIFF size does not match the file (truncated, or data after the image)");
  }
  let size: { width: number; height: number } | undefined;
  let pos = 12;
  while (pos < bytes.length) {
    if (pos + 8 > bytes.length) throw findings.invalid(`truncated chunk header at byte ${pos}`);
    const fourcc = bytes.subarray(pos, pos + 4).toString("latin1");
    const length = bytes.readUInt32LE(pos + 4);
    const end = pos + 8 + length;
    if (end > bytes.length) throw findings.invalid(`chunk ${JSON.stringify(fourcc)} runs past the end`);
    const payload = bytes.subarray(pos + 8, end);
    if (fourcc === "EXIF") {
      findings.exif(payload.subarray(0, 6).equals(EXIF_PREFIX) ? payload.subarray(6) : payload);
    } else if (fourcc === "XMP ") {
      findings.xmp(payload.toString("utf8"));
    } else if (!ALLOWED.has(fourcc)) {
      throw findings.refuse(`a RIFF chunk ${JSON.stringify(fourcc)} (${label(payload)})`);
    }
    size ??= canvasSize(fourcc, payload);
    pos = end + (length % 2); // chunks are padded to an even length
  }
  if (!size) throw findings.invalid("no image header");
  return size;
}

/** The size a VP8X (extended), VP8L (lossless) or VP8 (lossy) header declares. */
function canvasSize(fourcc: string, p: Buffer): { width: number; height: number } | undefined {
  if (fourcc === "VP8X" && p.length >= 10) {
    return { width: p.readUIntLE(4, 3) + 1, height: p.readUIntLE(7, 3) + 1 };
  }
  if (fourcc === "VP8L" && p.length >= 5 && p[0] === 0x2f) {
    const bits = p.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (fourcc === "VP8 " && p.length >= 10 && p[3] === 0x9d && p[4] === 0x01 && p[5] === 0x2a) {
    return { width: p.readUInt16LE(6) & 0x3fff, height: p.readUInt16LE(8) & 0x3fff };
  }
  return undefined;
}
