/**
 * Format detection from magic bytes only: the extension (and any declared content type) is never
 * trusted, because cameras, phones and people all get it wrong.
 */
import { readIfd, readTiffHeader, tagString } from "./tiff-reader.ts";
import type { DetectedFormat } from "./types.ts";

const image = (format: string, mimeType: string): DetectedFormat => ({ format, kind: "image", mimeType });
const raw = (format: string, mimeType: string): DetectedFormat => ({ format, kind: "raw", mimeType });
const unsupported = (format: string, mimeType = "application/octet-stream"): DetectedFormat => ({
  format,
  kind: "unsupported",
  mimeType,
});

const ascii = (head: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...head.subarray(start, Math.min(end, head.length)));

const startsWith = (head: Uint8Array, bytes: number[], at = 0): boolean =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

/**
 * The real format of a file from its first bytes (give at least 64 KiB so that a RAW's camera make
 * is inside; with less, a NEF/ARW may be reported as the generic "tiff-ep" RAW).
 * Returns undefined for bytes that match no known format.
 */
export function detectFormat(head: Uint8Array): DetectedFormat | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return image("jpeg", "image/jpeg");
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return image("png", "image/png");
  if (ascii(head, 0, 6) === "GIF87a" || ascii(head, 0, 6) === "GIF89a") return image("gif", "image/gif");
  if (ascii(head, 0, 4) === "RIFF" && ascii(head, 8, 12) === "WEBP") return image("webp", "image/webp");
  if (ascii(head, 4, 8) === "ftyp") return detectIsoMedia(head);
  if (["moov", "mdat", "wide", "free", "skip"].includes(ascii(head, 4, 8))) {
    return { format: "mov", kind: "video", mimeType: "video/quicktime" };
  }
  const orf = ascii(head, 0, 4);
  if (orf === "IIRO" || orf === "IIRS" || orf === "MMOR") return raw("orf", "image/x-olympus-orf");
  if (startsWith(head, [0x49, 0x49, 0x55, 0x00])) return unsupported("rw2", "image/x-panasonic-rw2");
  if (ascii(head, 0, 4) === "II*\0" || ascii(head, 0, 4) === "MM\0*") return detectTiff(head);
  if (ascii(head, 0, 2) === "BM") return unsupported("bmp", "image/bmp");
  if (ascii(head, 0, 4) === "8BPS") return unsupported("psd", "image/vnd.adobe.photoshop");
  if (ascii(head, 0, 5) === "%PDF-") return unsupported("pdf", "application/pdf");
  if (ascii(head, 0, 16) === "FUJIFILMCCD-RAW ") return unsupported("raf", "image/x-fuji-raf");
  if (startsWith(head, [0xff, 0x0a]) || ascii(head, 4, 8) === "JXL ") return unsupported("jxl", "image/jxl");
  return undefined;
}

function detectIsoMedia(head: Uint8Array): DetectedFormat {
  const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
  const major = ascii(head, 8, 12);
  const brands = [major];
  for (let at = 16; at + 4 <= Math.min(boxSize, head.length, 256); at += 4)
    brands.push(ascii(head, at, at + 4));
  if (brands.includes("crx ")) return unsupported("cr3", "image/x-canon-cr3");
  if (major === "avif" || major === "avis") return image("avif", "image/avif");
  if (["heic", "heix", "heim", "heis", "hevc", "hevx"].includes(major)) return image("heic", "image/heic");
  if (major === "mif1" || major === "msf1") {
    // A generic HEIF brand: the compatible brands tell AVIF (AV1) from HEIC (HEVC).
    if (brands.includes("avif") || brands.includes("avis")) return image("avif", "image/avif");
    return image("heic", "image/heif");
  }
  if (major === "qt  ") return { format: "mov", kind: "video", mimeType: "video/quicktime" };
  return { format: "mp4", kind: "video", mimeType: "video/mp4" };
}

/** Plain TIFF, or a TIFF/EP camera RAW told apart by its DNG version or camera make. */
function detectTiff(head: Uint8Array): DetectedFormat {
  if (ascii(head, 8, 10) === "CR") return raw("cr2", "image/x-canon-cr2");
  try {
    const header = readTiffHeader(head);
    const ifd0 = readIfd(head, header.littleEndian, header.firstIfd);
    if (ifd0.entries.has(0xc612)) return raw("dng", "image/x-adobe-dng");
    const make = (tagString(head, header.littleEndian, ifd0.entries.get(0x10f)) ?? "").toUpperCase();
    if (make.startsWith("NIKON")) return raw("nef", "image/x-nikon-nef");
    if (make.startsWith("SONY")) return raw("arw", "image/x-sony-arw");
    if (make.startsWith("CANON")) return raw("cr2", "image/x-canon-cr2");
    if (make.startsWith("OLYMPUS") || make.startsWith("OM DIGITAL")) return raw("orf", "image/x-olympus-orf");
    if (make.startsWith("PENTAX") || make.startsWith("RICOH")) return raw("pef", "image/x-pentax-pef");
    // A reduced-resolution first image with SubIFDs is the TIFF/EP layout every camera RAW uses.
    const subfile = ifd0.entries.get(0xfe);
    if (ifd0.entries.has(0x14a) && subfile?.value === 1) return raw("tiff-ep", "image/tiff");
  } catch {
    // Too little of the header to read the IFD: a plain TIFF as far as we can tell.
  }
  return image("tiff", "image/tiff");
}
