/**
 * A small, bounds-checked TIFF IFD reader: enough of TIFF/EP to find the JPEG previews inside camera
 * RAW files (NEF, CR2, ARW, DNG, ORF) and their orientation. Every offset is checked against the
 * buffer, so a hostile or truncated file throws an ImagingError instead of reading garbage.
 */
import { ImagingError } from "./errors.ts";

export interface TiffEntry {
  tag: number;
  type: number;
  count: number;
  /** Absolute offset of the value bytes (inline values point into the entry itself). */
  valueOffset: number;
  /** The first value as a number (SHORT, LONG, IFD, BYTE); NaN for other types. */
  value: number;
}

export interface Ifd {
  offset: number;
  entries: Map<number, TiffEntry>;
  /** Absolute offset of the next IFD in the chain, 0 at the end. */
  next: number;
}

const TYPE_SIZES: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 4,
  5: 8,
  6: 1,
  7: 1,
  8: 2,
  9: 4,
  10: 8,
  11: 4,
  12: 8,
  13: 4,
};
/** No real camera writes IFDs this large; more entries means a corrupt or hostile file. */
const MAX_ENTRIES = 1000;

export function readTiffHeader(buf: Uint8Array, base = 0): { littleEndian: boolean; firstIfd: number } {
  if (buf.length < base + 8) throw new ImagingError("truncated", "file ends inside its TIFF header");
  const order = String.fromCharCode(buf[base] ?? 0, buf[base + 1] ?? 0);
  if (order !== "II" && order !== "MM") throw new ImagingError("corrupt_image", "no TIFF byte-order mark");
  const littleEndian = order === "II";
  return { littleEndian, firstIfd: base + u32(buf, base + 4, littleEndian) };
}

export function u16(buf: Uint8Array, at: number, le: boolean): number {
  if (at < 0 || at + 2 > buf.length)
    throw new ImagingError("truncated", `TIFF structure points past the end (${at})`);
  return le ? (buf[at] ?? 0) | ((buf[at + 1] ?? 0) << 8) : ((buf[at] ?? 0) << 8) | (buf[at + 1] ?? 0);
}

export function u32(buf: Uint8Array, at: number, le: boolean): number {
  return le
    ? u16(buf, at, le) + u16(buf, at + 2, le) * 0x10000
    : u16(buf, at, le) * 0x10000 + u16(buf, at + 2, le);
}

/** Reads one IFD at absolute `offset`; stored offsets are relative to `base` (maker notes use their own). */
export function readIfd(buf: Uint8Array, le: boolean, offset: number, base = 0): Ifd {
  const count = u16(buf, offset, le);
  if (count > MAX_ENTRIES) throw new ImagingError("corrupt_image", `TIFF IFD claims ${count} entries`);
  const entries = new Map<number, TiffEntry>();
  for (let i = 0; i < count; i++) {
    const at = offset + 2 + i * 12;
    const tag = u16(buf, at, le);
    const type = u16(buf, at + 2, le);
    const n = u32(buf, at + 4, le);
    const size = (TYPE_SIZES[type] ?? 1) * n;
    const valueOffset = size <= 4 ? at + 8 : base + u32(buf, at + 8, le);
    const value =
      type === 3 || type === 8
        ? u16(buf, at + 8, le)
        : type === 1
          ? (buf[at + 8] ?? 0)
          : u32(buf, at + 8, le);
    entries.set(tag, {
      tag,
      type,
      count: n,
      valueOffset,
      value: [1, 3, 4, 8, 9, 13].includes(type) ? value : Number.NaN,
    });
  }
  const nextAt = offset + 2 + count * 12;
  const next = nextAt + 4 <= buf.length ? u32(buf, nextAt, le) : 0;
  return { offset, entries, next: next === 0 ? 0 : base + next };
}

/** All numeric values of an entry (SHORT, LONG, IFD), at most `limit` of them. */
export function tagNumbers(buf: Uint8Array, le: boolean, entry: TiffEntry | undefined, limit = 64): number[] {
  if (!entry) return [];
  const size = TYPE_SIZES[entry.type] ?? 1;
  const values: number[] = [];
  for (let i = 0; i < Math.min(entry.count, limit); i++) {
    const at = entry.valueOffset + i * size;
    values.push(size === 2 ? u16(buf, at, le) : size === 1 ? (buf[at] ?? 0) : u32(buf, at, le));
  }
  return values;
}

export function tagString(buf: Uint8Array, _le: boolean, entry: TiffEntry | undefined): string | undefined {
  if (entry?.type !== 2) return undefined;
  const end = Math.min(entry.valueOffset + entry.count, buf.length);
  if (entry.valueOffset >= end) return undefined;
  const text = String.fromCharCode(...buf.subarray(entry.valueOffset, end));
  return text.replace(/\0[\s\S]*$/, "").trim();
}
