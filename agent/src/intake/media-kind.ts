/**
 * Media detection by magic bytes, and a completeness check per format (`formats/`): a file that is
 * still being written (or was preallocated and is being filled) fails the check, so the agent holds
 * it back; a file whose structure proves it complete needs only a short settle.
 */
import type { FileHandle } from "node:fs/promises";
import { extname } from "node:path";
import { bmffCompleteness } from "./formats/bmff.ts";
import { ByteReader, type Completeness, incomplete, plausible, proven } from "./formats/byte-reader.ts";
import { gifCompleteness } from "./formats/gif.ts";
import { jpegCompleteness } from "./formats/jpeg.ts";
import { tiffCompleteness } from "./formats/tiff.ts";

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
  /** `proven`: the file's own structure shows it is complete; else only heuristics say so. */
  | { ok: true; kind: MediaKind; ext: string; contentType: string; proven: boolean }
  | { ok: false; reason: "unsupported" | "incomplete"; detail: string };

const RAW_EXTS = new Set([".nef", ".cr2", ".arw", ".dng", ".orf", ".nrw", ".raf", ".rw2", ".pef"]);

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
  const found = sniff(head, name);
  if (!found)
    return { ok: false, reason: "unsupported", detail: "not a supported media file (unknown magic bytes)" };
  const reader = new ByteReader(file, size, found.kind === "jpeg" ? 1024 * 1024 : 64 * 1024);
  const check = await completeness(found.kind, reader, head);
  if (!check.complete) return { ok: false, reason: "incomplete", detail: `${found.kind}: ${check.problem}` };
  const { kind, ext } = found;
  return { ok: true, kind, ext, contentType: CONTENT_TYPES[kind], proven: check.proven };
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

/** Delegates to the format's own check; the simple formats are checked here. */
async function completeness(kind: MediaKind, r: ByteReader, head: Buffer): Promise<Completeness> {
  switch (kind) {
    case "jpeg":
      return jpegCompleteness(r);
    case "tiff":
    case "raw":
      return tiffCompleteness(r);
    case "png": {
      // IEND is the last chunk: length 0, type, and its fixed CRC.
      const end = await r.read(r.size - 12, 12);
      return end.toString("hex") === "0000000049454e44ae426082" ? proven : incomplete("no IEND chunk");
    }
    case "gif":
      return gifCompleteness(r);
    case "webp": {
      const riff = head.readUInt32LE(4) + 8;
      if (riff > r.size) return incomplete("RIFF size larger than the file");
      return riff === r.size ? proven : plausible;
    }
    case "heic":
    case "avif":
      return bmffCompleteness(r, "meta");
    default:
      return bmffCompleteness(r, "moov");
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
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
