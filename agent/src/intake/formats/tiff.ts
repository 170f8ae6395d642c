/**
 * TIFF and TIFF-based RAW (NEF, CR2, ARW, DNG, ORF…) completeness: walk the IFD chain and the
 * SubIFD/EXIF IFDs; every IFD, every out-of-line value, every image strip or tile and every
 * embedded JPEG preview must lie inside the file, and the file must not end in zero fill. A
 * header whose IFDs make no sense (not a real TIFF structure) is only plausible.
 */
import { type ByteReader, type Completeness, incomplete, isZero, plausible, proven } from "./byte-reader.ts";

const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4]; // by TIFF field type 1…13
const SUB_IFDS = 0x014a;
const EXIF_IFD = 0x8769;
/** Offset tag → its byte-count tag: strips, tiles, and the JPEG preview (JPEGInterchangeFormat). */
const DATA_TAGS = new Map([
  [0x0111, 0x0117],
  [0x0144, 0x0145],
  [0x0201, 0x0202],
]);
const MAX_ENTRIES = 512;
const MAX_IFDS = 64;

class Unparseable extends Error {}

interface Entry {
  tag: number;
  values: number[];
}

export async function tiffCompleteness(r: ByteReader): Promise<Completeness> {
  const head = await r.read(0, 8);
  const le = head[0] === 0x49;
  const u16 = (b: Buffer, at: number) => (le ? b.readUInt16LE(at) : b.readUInt16BE(at));
  const u32 = (b: Buffer, at: number) => (le ? b.readUInt32LE(at) : b.readUInt32BE(at));
  const first = u32(head, 4);
  if (first < 8 || first >= r.size) return incomplete("first IFD offset outside the file");
  if (isZero(await r.read(Math.max(0, r.size - 4096), 4096)))
    return incomplete("ends in zero fill (still being written?)");

  /** One IFD's entries, with their values (out-of-line ones read from where they point). */
  const readIfd = async (offset: number): Promise<{ entries: Entry[]; next: number } | string> => {
    const count = await r.read(offset, 2);
    if (count.length < 2) return `IFD at ${offset} runs past the end`;
    const n = u16(count, 0);
    if (n === 0 || n > MAX_ENTRIES) throw new Unparseable();
    const table = await r.read(offset + 2, n * 12 + 4);
    if (table.length < n * 12 + 4) return `IFD at ${offset} runs past the end`;
    const entries: Entry[] = [];
    for (let i = 0; i < n; i++) {
      const at = i * 12;
      const tag = u16(table, at);
      const type = u16(table, at + 2);
      const size = TYPE_SIZES[type];
      if (!size) throw new Unparseable();
      const length = size * u32(table, at + 4);
      const values: number[] = [];
      if (type === 3 || type === 4 || type === 13) {
        const inline = length <= 4;
        const where = inline ? undefined : u32(table, at + 8);
        if (where !== undefined && where + length > r.size) return `IFD value at ${where} runs past the end`;
        const data = inline
          ? table.subarray(at + 8, at + 12)
          : await r.read(where ?? 0, Math.min(length, 4096 * 8));
        for (let v = 0; v + size <= Math.min(length, data.length); v += size)
          values.push(size === 2 ? u16(data, v) : u32(data, v));
      } else if (length > 4 && u32(table, at + 8) + length > r.size) {
        return `IFD value at ${u32(table, at + 8)} runs past the end`;
      }
      entries.push({ tag, values });
    }
    return { entries, next: u32(table, n * 12) };
  };

  try {
    const queue = [first];
    const seen = new Set<number>();
    let regions = 0;
    while (queue.length) {
      const offset = queue.shift() as number;
      if (offset === 0 || seen.has(offset)) continue;
      if (seen.size >= MAX_IFDS) throw new Unparseable();
      seen.add(offset);
      if (offset >= r.size) return incomplete(`IFD at ${offset} is past the end`);
      const ifd = await readIfd(offset);
      if (typeof ifd === "string") return incomplete(ifd);
      const byTag = new Map(ifd.entries.map((e) => [e.tag, e.values]));
      for (const [offsetTag, lengthTag] of DATA_TAGS) {
        const starts = byTag.get(offsetTag);
        const lengths = byTag.get(lengthTag);
        if (!starts || !lengths) continue;
        for (let i = 0; i < starts.length; i++) {
          const end = (starts[i] ?? 0) + (lengths[i] ?? 0);
          if (end > r.size) return incomplete(`image data ending at ${end} is past the end of the file`);
          regions++;
        }
      }
      queue.push(...(byTag.get(SUB_IFDS) ?? []), ...(byTag.get(EXIF_IFD) ?? []), ifd.next);
    }
    return regions > 0 ? proven : plausible;
  } catch (error) {
    if (error instanceof Unparseable) return plausible;
    throw error;
  }
}
