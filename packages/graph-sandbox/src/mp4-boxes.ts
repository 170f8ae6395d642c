/**
 * ISO-BMFF (MP4/MOV) box walking for the sandbox's video probe: the top level straight from the
 * upload (headers only, so a 300 MB file is never read whole), the `moov` tree in memory. A box that
 * claims more bytes than its parent has ends the walk instead of being read past.
 */
import type { ByteSource } from "./byte-source.ts";

export interface Box {
  type: string;
  /** Offset of the payload (after the 8- or 16-byte header). */
  body: number;
  end: number;
}

export function* children(buf: Uint8Array, parent: { body: number; end: number }, skip = 0): Generator<Box> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const to = Math.min(parent.end, buf.byteLength);
  for (let at = parent.body + skip; at + 8 <= to; ) {
    let size = view.getUint32(at);
    let body = at + 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(view.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) size = to - at;
    if (size < body - at || at + size > to) return;
    yield { type: String.fromCharCode(...buf.subarray(at + 4, at + 8)), body, end: at + size };
    at += size;
  }
}

/** The first descendant along `path`. */
export function find(buf: Uint8Array, parent: Box, ...path: string[]): Box | undefined {
  let current: Box | undefined = parent;
  for (const type of path) {
    if (!current) return undefined;
    current = [...children(buf, current)].find((b) => b.type === type);
  }
  return current;
}

export interface TopLevel {
  /** Type and offset of every top-level box, in file order. */
  boxes: { type: string; start: number; size: number }[];
  /** The `ftyp` payload's major brand. */
  brand?: string;
  /** The `moov` box read whole (a root box spanning the buffer), if present and complete. */
  moov?: { buf: Uint8Array; root: Box };
  /** A box runs past the end of the file. */
  truncated: boolean;
}

/** A real index is far smaller; more is a hostile file. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

export async function readTopLevel(source: ByteSource): Promise<TopLevel> {
  const top: TopLevel = { boxes: [], truncated: false };
  for (let at = 0; at + 8 <= source.size; ) {
    const header = await source.read(at, 16);
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let size = view.getUint32(0);
    const headerSize = size === 1 ? 16 : 8;
    const type = String.fromCharCode(...header.subarray(4, 8));
    if (size === 1 && header.length >= 16) size = Number(view.getBigUint64(8));
    else if (size === 0) size = source.size - at;
    if (size < 8 || !/^[\x20-\x7e\xa9]{4}$/.test(type)) break;
    if (at + size > source.size) {
      top.truncated = true;
      break;
    }
    top.boxes.push({ type, start: at, size });
    if (type === "ftyp") top.brand = String.fromCharCode(...header.subarray(8, 12));
    if (type === "moov" && !top.moov && size <= MAX_MOOV_BYTES) {
      const buf = await source.read(at, size);
      top.moov = { buf, root: { type: "moov", body: headerSize, end: size } };
    }
    at += size;
  }
  return top;
}
