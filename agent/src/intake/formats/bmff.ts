/**
 * ISO-BMFF completeness (MP4, MOV, HEIC, AVIF): the top-level boxes must tile the file exactly and
 * the index box must exist (`moov` for video, `meta` for images). For video, every chunk the
 * `moov` sample tables (stco/co64, stsc, stsz) point to must lie inside the file; a `moov` whose
 * tables cannot be read (fragmented files, odd writers) leaves the file plausible, not proven.
 */
import { type ByteReader, type Completeness, incomplete, isZero, plausible, proven } from "./byte-reader.ts";

const MAX_MOOV = 64 * 1024 * 1024;
const CONTAINERS = new Set(["moov", "trak", "mdia", "minf", "stbl"]);

interface Box {
  type: string;
  start: number;
  /** Payload start and end. */
  body: number;
  end: number;
}

export async function bmffCompleteness(r: ByteReader, index: "moov" | "meta"): Promise<Completeness> {
  const top: Box[] = [];
  for (let offset = 0; offset < r.size; ) {
    if (r.size - offset < 8) return incomplete(`truncated box header at ${offset}`);
    const header = await r.read(offset, 16);
    const box = parseHeader(header, offset, r.size - offset);
    if (typeof box === "string") return incomplete(box);
    if (box.end > r.size) return incomplete(`box ${box.type} at ${offset} runs past the end`);
    top.push(box);
    offset = box.end;
  }
  const found = top.find((b) => b.type === index);
  if (!found) return incomplete(`no ${index} box`);
  if (isZero(await r.read(Math.max(0, r.size - 4096), 4096)))
    return incomplete("ends in zero fill (still being written?)");
  if (index === "meta") return proven;
  if (found.end - found.body > MAX_MOOV) return plausible;
  const moov = await r.read(found.body, found.end - found.body);
  let chunkEnds: number[] | undefined;
  try {
    chunkEnds = sampleTableEnds(moov);
  } catch {
    chunkEnds = undefined; // a table shorter than its own header: not a structure we can judge
  }
  if (chunkEnds === undefined) return plausible;
  const last = Math.max(0, ...chunkEnds);
  return last <= r.size ? proven : incomplete(`sample data ending at ${last} is past the end of the file`);
}

function parseHeader(header: Buffer, offset: number, left: number): Box | string {
  const type = header.toString("latin1", 4, 8);
  if (!/^[\x20-\x7e]{4}$/.test(type)) return `invalid box type at ${offset}`;
  let size = header.readUInt32BE(0);
  let body = offset + 8;
  if (size === 1) {
    if (header.length < 16) return `truncated large box at ${offset}`;
    size = Number(header.readBigUInt64BE(8));
    body += 8;
  } else if (size === 0) {
    size = left; // "extends to end of file"
  }
  if (size < body - offset) return `box ${type} at ${offset} is shorter than its header`;
  return { type, start: offset, body, end: offset + size };
}

/** Child boxes of a box held in memory (offsets relative to `buffer`). */
function children(buffer: Buffer, from: number, to: number): Box[] | undefined {
  const out: Box[] = [];
  for (let at = from; at < to; ) {
    if (to - at < 8) return undefined;
    const box = parseHeader(buffer.subarray(at, Math.min(to, at + 16)), at, to - at);
    if (typeof box === "string" || box.end > to) return undefined;
    out.push(box);
    at = box.end;
  }
  return out;
}

/** The end offset of every chunk of every track, or undefined when the tables cannot be read. */
function sampleTableEnds(moov: Buffer): number[] | undefined {
  const ends: number[] = [];
  const tables: Box[][] = [];
  const walk = (from: number, to: number): boolean => {
    const boxes = children(moov, from, to);
    if (!boxes) return false;
    for (const box of boxes) {
      if (box.type === "stbl") {
        const inner = children(moov, box.body, box.end);
        if (!inner) return false;
        tables.push(inner);
      } else if (CONTAINERS.has(box.type) && !walk(box.body, box.end)) return false;
    }
    return true;
  };
  if (!walk(0, moov.length) || tables.length === 0) return undefined;
  for (const stbl of tables) {
    const find = (type: string) => stbl.find((b) => b.type === type);
    const stco = find("stco") ?? find("co64");
    const stsc = find("stsc");
    const stsz = find("stsz");
    if (!stco || !stsc || !stsz) return undefined;
    const offsets = chunkOffsets(moov, stco);
    const perChunk = samplesPerChunk(moov, stsc, offsets.length);
    const sizes = sampleSizes(moov, stsz);
    if (!offsets || !perChunk || !sizes) return undefined;
    let sample = 0;
    for (let c = 0; c < offsets.length; c++) {
      let bytes = 0;
      for (let k = 0; k < (perChunk[c] ?? 0); k++) bytes += sizes(sample++);
      ends.push((offsets[c] ?? 0) + bytes);
    }
  }
  return ends;
}

function chunkOffsets(moov: Buffer, box: Box): number[] {
  const count = moov.readUInt32BE(box.body + 4);
  const wide = box.type === "co64";
  const out: number[] = [];
  for (let i = 0, at = box.body + 8; i < count && at + (wide ? 8 : 4) <= box.end; i++, at += wide ? 8 : 4)
    out.push(wide ? Number(moov.readBigUInt64BE(at)) : moov.readUInt32BE(at));
  return out;
}

/** stsc runs expanded to one count per chunk. */
function samplesPerChunk(moov: Buffer, box: Box, chunks: number): number[] | undefined {
  const count = moov.readUInt32BE(box.body + 4);
  if (box.body + 8 + count * 12 > box.end) return undefined;
  const out = new Array<number>(chunks).fill(0);
  for (let i = 0; i < count; i++) {
    const at = box.body + 8 + i * 12;
    const firstChunk = moov.readUInt32BE(at);
    const nextFirst = i + 1 < count ? moov.readUInt32BE(at + 12) : chunks + 1;
    for (let c = firstChunk; c < nextFirst && c <= chunks; c++) out[c - 1] = moov.readUInt32BE(at + 4);
  }
  return out;
}

function sampleSizes(moov: Buffer, box: Box): ((n: number) => number) | undefined {
  const uniform = moov.readUInt32BE(box.body + 4);
  const count = moov.readUInt32BE(box.body + 8);
  if (uniform) return () => uniform;
  if (box.body + 12 + count * 4 > box.end) return undefined;
  return (n) => (n < count ? moov.readUInt32BE(box.body + 12 + n * 4) : 0);
}
