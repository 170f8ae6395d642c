/**
 * A track's sample table (`stbl`): sample sizes, file offsets, durations and sync samples; and the
 * GOP check Meta's "closed GOP" rule needs, made on the samples themselves: every sync sample must
 * start a picture a decoder can begin at without anything before it.
 */
import type { ByteSource } from "./byte-source.ts";
import { isClosedRandomAccess, isSlice, nalType, type StreamConfig } from "./decoder-config.ts";
import { type Box, find } from "./mp4-boxes.ts";

export interface SampleTable {
  sizes: number[];
  offsets: number[];
  /** Sum of all sample durations, in the track's timescale. */
  totalDuration: number;
  /** 0-based indices of sync samples; undefined when every sample is one (no `stss`). */
  sync?: number[];
}

/** 15 minutes at 240 fps is 216,000 samples; a table claiming millions is hostile. */
const MAX_SAMPLES = 2_000_000;

export function readSampleTable(buf: Uint8Array, stbl: Box): SampleTable {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const u32 = (at: number) => (at + 4 <= buf.byteLength ? view.getUint32(at) : 0);
  const table: SampleTable = { sizes: [], offsets: [], totalDuration: 0 };
  const stsz = find(buf, stbl, "stsz");
  if (stsz) {
    const fixed = u32(stsz.body + 4);
    const count = Math.min(u32(stsz.body + 8), MAX_SAMPLES);
    if (fixed) table.sizes = new Array<number>(count).fill(fixed);
    else
      for (let i = 0; i < count && stsz.body + 16 + i * 4 <= stsz.end; i++)
        table.sizes.push(u32(stsz.body + 12 + i * 4));
  }
  const stts = find(buf, stbl, "stts");
  for (let i = 0; stts && i < u32(stts.body + 4) && stts.body + 16 + i * 8 <= stts.end; i++) {
    table.totalDuration += u32(stts.body + 8 + i * 8) * u32(stts.body + 12 + i * 8);
  }
  const stss = find(buf, stbl, "stss");
  if (stss) {
    table.sync = [];
    for (let i = 0; i < u32(stss.body + 4) && stss.body + 12 + i * 4 <= stss.end; i++)
      table.sync.push(u32(stss.body + 8 + i * 4) - 1);
  }
  const chunks = chunkOffsets(buf, stbl, view);
  const stsc = find(buf, stbl, "stsc");
  const runs: { first: number; perChunk: number }[] = [];
  for (let i = 0; stsc && i < u32(stsc.body + 4) && stsc.body + 20 + i * 12 <= stsc.end; i++) {
    runs.push({ first: u32(stsc.body + 8 + i * 12) - 1, perChunk: u32(stsc.body + 12 + i * 12) });
  }
  let sample = 0;
  for (let chunk = 0; chunk < chunks.length && sample < table.sizes.length; chunk++) {
    const run = runs.findLast((r) => r.first <= chunk);
    let at = chunks[chunk] ?? 0;
    for (let k = 0; k < (run?.perChunk ?? 0) && sample < table.sizes.length; k++, sample++) {
      table.offsets.push(at);
      at += table.sizes[sample] ?? 0;
    }
  }
  return table;
}

function chunkOffsets(buf: Uint8Array, stbl: Box, view: DataView): number[] {
  const stco = find(buf, stbl, "stco");
  const co64 = find(buf, stbl, "co64");
  const box = stco ?? co64;
  if (!box || box.body + 8 > buf.byteLength) return [];
  const width = stco ? 4 : 8;
  const out: number[] = [];
  for (let i = 0; i < view.getUint32(box.body + 4) && box.body + 8 + (i + 1) * width <= box.end; i++) {
    const at = box.body + 8 + i * width;
    out.push(stco ? view.getUint32(at) : Number(view.getBigUint64(at)));
  }
  return out;
}

/** No more than this many GOPs are opened: enough for any Reel at 2 s per GOP, bounded for hostile files. */
const MAX_GOPS = 1000;
/** An HEVC CRA opens its GOP only if leading pictures (RASL) follow it; they come right after it. */
const LEADING_WINDOW = 16;

/** Whether every GOP is closed; undefined when the samples cannot be read (a damaged file). */
export async function gopsAreClosed(
  source: ByteSource,
  table: SampleTable,
  config: StreamConfig,
): Promise<boolean | undefined> {
  const sync = (table.sync ?? [0]).slice(0, MAX_GOPS);
  if (sync.length === 0) return false;
  for (const index of sync) {
    const type = await firstSliceType(source, table, index, config);
    if (type === undefined) return undefined;
    if (isClosedRandomAccess(config.codec, type)) continue;
    if (config.codec === "h264" || type !== 21) return false; // a non-IDR I picture as keyframe: open GOP
    for (let next = index + 1; next < Math.min(index + LEADING_WINDOW, table.sizes.length); next++) {
      const leading = await firstSliceType(source, table, next, config);
      if (leading === 8 || leading === 9) return false; // RASL: refers to pictures before the CRA
    }
  }
  return true;
}

async function firstSliceType(
  source: ByteSource,
  table: SampleTable,
  index: number,
  config: StreamConfig,
): Promise<number | undefined> {
  const start = table.offsets[index];
  const size = table.sizes[index];
  if (start === undefined || size === undefined || start + size > source.size) return undefined;
  for (let at = start; at + config.nalLengthSize < start + size; ) {
    const head = await source.read(at, config.nalLengthSize + 1);
    let length = 0;
    for (let i = 0; i < config.nalLengthSize; i++) length = length * 256 + (head[i] ?? 0);
    const type = nalType(config.codec, head[config.nalLengthSize] ?? 0);
    if (isSlice(config.codec, type)) return type;
    if (length === 0) return undefined;
    at += config.nalLengthSize + length;
  }
  return undefined;
}
