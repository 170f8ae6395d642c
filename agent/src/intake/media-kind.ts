/**
 * Media detection by magic bytes, and a completeness check per format: a file that is still being
 * written (or was preallocated and is being filled) fails the check, so the agent holds it back.
 */
import type { FileHandle } from "node:fs/promises";
import { extname } from "node:path";

export type MediaKind = "jpeg" | "png" | "webp" | "gif" | "tiff" | "heic" | "avif" | "raw" | "mp4" | "mov";

export const MEDIA_KINDS: readonly MediaKind[] = [
  "jpeg",
  "png",
  "webp",
  "gif",
  "tiff",
  "heic",
  "avif",
  "raw",
  "mp4",
  "mov",
];

export type Detection =
  | { ok: true; kind: MediaKind; ext: string; contentType: string }
  | { ok: false; reason: "unsupported" | "incomplete"; detail: string };

const RAW_EXTS = new Set([".nef", ".cr2", ".arw", ".dng", ".orf", ".nrw", ".raf", ".rw2", ".pef"]);
const TAIL = 64 * 1024;

const CONTENT_TYPES: Record<MediaKind, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  tiff: "image/tiff",
  heic: "image/heic",
  avif: "image/avif",
  raw: "image/x-raw",
  mp4: "video/mp4",
  mov: "video/quicktime",
};

/**
 * Detects the kind of an open file of `size` bytes and checks that it is complete.
 * The extension is canonical per kind (`.jpeg` → `.jpg`) so the same bytes always get the same key;
 * only RAW keeps its own extension, because NEF/CR2/ARW/DNG share the TIFF header.
 */
export async function detectMedia(file: FileHandle, size: number, name: string): Promise<Detection> {
  if (size === 0) return { ok: false, reason: "incomplete", detail: "empty file" };
  const head = await readAt(file, 0, Math.min(64, size));
  const tail = await readAt(file, Math.max(0, size - TAIL), Math.min(TAIL, size));
  const found = sniff(head, name);
  if (!found)
    return { ok: false, reason: "unsupported", detail: "not a supported media file (unknown magic bytes)" };
  const problem = await completeness(found.kind, file, size, head, tail);
  if (problem) return { ok: false, reason: "incomplete", detail: `${found.kind}: ${problem}` };
  return { ok: true, kind: found.kind, ext: found.ext, contentType: CONTENT_TYPES[found.kind] };
}

function sniff(head: Buffer, name: string): { kind: MediaKind; ext: string } | undefined {
  const ascii = (from: number, to: number) => head.toString("latin1", from, to);
  const nameExt = extname(name).toLowerCase();
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { kind: "jpeg", ext: ".jpg" };
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { kind: "png", ext: ".png" };
  }
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return { kind: "webp", ext: ".webp" };
  if (ascii(0, 6) === "GIF87a" || ascii(0, 6) === "GIF89a") return { kind: "gif", ext: ".gif" };
  const tiff = ascii(0, 4);
  if (tiff === "II*\0" || tiff === "MM\0*" || tiff === "IIRO" || tiff === "IIRS" || tiff === "MMOR") {
    const isRaw = RAW_EXTS.has(nameExt) || (tiff !== "II*\0" && tiff !== "MM\0*") || ascii(8, 10) === "CR";
    if (!isRaw) return { kind: "tiff", ext: ".tif" };
    return {
      kind: "raw",
      ext: RAW_EXTS.has(nameExt) ? nameExt : tiff.startsWith("IIR") || tiff === "MMOR" ? ".orf" : ".cr2",
    };
  }
  const box = ascii(4, 8);
  if (box === "ftyp") {
    const brand = ascii(8, 12);
    if (/^(heic|heix|hevc|hevx|heim|heis|mif1|msf1)$/.test(brand)) {
      return { kind: "heic", ext: nameExt === ".heif" ? ".heif" : ".heic" };
    }
    if (brand === "avif" || brand === "avis") return { kind: "avif", ext: ".avif" };
    if (brand === "qt  ") return { kind: "mov", ext: ".mov" };
    return { kind: "mp4", ext: ".mp4" };
  }
  if (/^(moov|mdat|wide|free|skip|pnot)$/.test(box) && nameExt === ".mov")
    return { kind: "mov", ext: ".mov" };
  return undefined;
}

async function completeness(
  kind: MediaKind,
  file: FileHandle,
  size: number,
  head: Buffer,
  tail: Buffer,
): Promise<string | undefined> {
  switch (kind) {
    case "jpeg": {
      if (tail.at(-2) === 0xff && tail.at(-1) === 0xd9) return undefined;
      // Some cameras append a trailer after the end marker; zero fill is a preallocated file being written.
      const end = tail.lastIndexOf(Buffer.from([0xff, 0xd9]));
      return end >= 0 && !isZero(tail.subarray(end + 2)) ? undefined : "no JPEG end marker (FFD9)";
    }
    case "png":
      return tail.subarray(-8).toString("latin1", 0, 4) === "IEND" ? undefined : "no IEND chunk";
    case "gif":
      return tail.at(-1) === 0x3b ? undefined : "no GIF trailer";
    case "webp":
      return head.readUInt32LE(4) + 8 <= size ? undefined : "RIFF size larger than the file";
    case "tiff":
    case "raw": {
      const le = head[0] === 0x49;
      const ifd = le ? head.readUInt32LE(4) : head.readUInt32BE(4);
      if (ifd < 8 || ifd >= size) return "first IFD offset outside the file";
      return isZero(tail.subarray(-4096)) ? "ends in zero fill (still being written?)" : undefined;
    }
    default:
      return boxStructure(kind, file, size);
  }
}

/** Walks the top-level ISO-BMFF boxes: they must tile the file exactly, and the index box must exist. */
async function boxStructure(kind: MediaKind, file: FileHandle, size: number): Promise<string | undefined> {
  const seen = new Set<string>();
  let offset = 0;
  while (offset < size) {
    if (size - offset < 8) return `truncated box header at ${offset}`;
    const header = await readAt(file, offset, Math.min(16, size - offset));
    const type = header.toString("latin1", 4, 8);
    if (!/^[\x20-\x7e]{4}$/.test(type)) return `invalid box type at ${offset}`;
    let boxSize = header.readUInt32BE(0);
    if (boxSize === 1) {
      if (header.length < 16) return `truncated large box at ${offset}`;
      boxSize = Number(header.readBigUInt64BE(8));
    } else if (boxSize === 0) {
      boxSize = size - offset; // "extends to end of file"
    }
    if (boxSize < 8 || offset + boxSize > size) return `box ${type} at ${offset} runs past the end`;
    seen.add(type);
    offset += boxSize;
  }
  const index = kind === "heic" || kind === "avif" ? "meta" : "moov";
  return seen.has(index) ? undefined : `no ${index} box`;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

function isZero(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/**
 * Names that tether software and gphoto2 use while writing (`tmpfileXXXXXX`, `*.part`, `*.tmp`,
 * `*.crdownload`) and dotfiles: never candidates.
 */
export function isTemporaryName(name: string): boolean {
  return (
    /^\./.test(name) ||
    /^tmpfile/i.test(name) ||
    /\.(part|partial|tmp|crdownload|download)$/i.test(name) ||
    /^~\$/.test(name)
  );
}
