/**
 * JPEG completeness: walk the marker segments from SOI; every segment must fit in the file, every
 * scan's entropy-coded data must end at a marker, and the end marker (EOI) must follow the last
 * scan. Bytes after EOI are allowed (MPF images, phone trailers) unless they are zero fill (a
 * preallocated file still being written); then the file is only plausible, not proven.
 */
import { type ByteReader, type Completeness, incomplete, isZero, plausible, proven } from "./byte-reader.ts";

const SOS = 0xda;
const EOI = 0xd9;
/** Markers without a length field: TEM and the restart markers inside scans. */
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

export async function jpegCompleteness(r: ByteReader): Promise<Completeness> {
  // Cheap first: a sequential writer writes the end marker last.
  const tail = await r.read(Math.max(0, r.size - 4096), 4096);
  const endsWithEoi = tail.at(-2) === 0xff && tail.at(-1) === EOI;
  if (!endsWithEoi && isZero(tail)) return incomplete("no JPEG end marker (FFD9); ends in zero fill");
  let pos = 2; // after SOI
  let scans = 0;
  for (;;) {
    if ((await r.byte(pos)) !== 0xff)
      return incomplete(pos >= r.size ? "no JPEG end marker (FFD9)" : `no marker at ${pos}`);
    let marker = await r.byte(pos + 1);
    while (marker === 0xff) marker = await r.byte(++pos + 1); // fill bytes
    if (marker < 0) return incomplete("no JPEG end marker (FFD9)");
    if (marker === EOI) break;
    if (standalone(marker)) {
      pos += 2;
      continue;
    }
    const length = await r.read(pos + 2, 2);
    if (length.length < 2) return incomplete(`segment FF${hex(marker)} at ${pos} runs past the end`);
    const end = pos + 2 + length.readUInt16BE(0);
    if (end > r.size) return incomplete(`segment FF${hex(marker)} at ${pos} runs past the end`);
    pos = end;
    if (marker === SOS) {
      scans++;
      const next = await endOfScan(r, pos);
      if (next < 0) return incomplete("no JPEG end marker (FFD9)");
      pos = next;
    }
  }
  if (scans === 0) return incomplete("end marker before any scan");
  const after = pos + 2;
  if (after === r.size) return proven;
  // Something follows the image: an MPF preview, a phone's trailer, or zeros a preallocating writer left.
  const rest = await r.read(Math.max(after, r.size - 4096), 4096);
  return isZero(rest) ? incomplete("ends in zero fill after the image (still being written?)") : plausible;
}

/**
 * Entropy-coded data runs to the next marker other than a stuffed FF00 or a restart marker. A
 * camera's scan has an FF every few hundred bytes (60,000 in a 15 MB frame), so each window is
 * walked synchronously; only a window's end waits for the next read (a promise per FF cost a
 * 36 MP frame 36 ms of the agent's CPU).
 */
async function endOfScan(r: ByteReader, from: number): Promise<number> {
  for (let at = from; ; ) {
    const { start, bytes } = await r.windowAt(at);
    if (bytes.length === 0) return -1;
    let i = at - start;
    for (;;) {
      const ff = bytes.indexOf(0xff, i);
      if (ff < 0) {
        at = start + bytes.length;
        break;
      }
      const next = ff + 1 < bytes.length ? (bytes[ff + 1] ?? -1) : await r.byte(start + ff + 1);
      if (next < 0) return -1;
      if (next !== 0x00 && next !== 0xff && !standalone(next)) return start + ff;
      i = next === 0xff ? ff + 1 : ff + 2;
      if (i >= bytes.length) {
        at = start + i;
        break;
      }
    }
  }
}

const hex = (n: number) => n.toString(16).toUpperCase().padStart(2, "0");
