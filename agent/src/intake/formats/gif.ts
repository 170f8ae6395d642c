/**
 * GIF completeness: walk the blocks (extensions, images and their data sub-blocks) to the trailer
 * (0x3B). Some writers pad the file after it; a preallocated file being written runs into zeros
 * where a block should start, and so does not end at a trailer. Files whose blocks cannot be
 * followed but that end in a trailer are plausible only.
 */
import { type ByteReader, type Completeness, incomplete, plausible, proven } from "./byte-reader.ts";

export async function gifCompleteness(r: ByteReader): Promise<Completeness> {
  const walked = await walk(r);
  if (walked.complete) return walked;
  // Blocks we cannot follow but a trailer at the very end: the old rule, trusted less.
  return (await r.read(r.size - 1, 1))[0] === 0x3b ? plausible : walked;
}

async function walk(r: ByteReader): Promise<Completeness> {
  const screen = await r.read(10, 1);
  let pos = 13 + colorTable(screen[0] ?? 0);
  for (;;) {
    const introducer = await r.byte(pos);
    if (introducer === 0x3b) return proven;
    if (introducer === 0x21)
      pos += 2; // extension: label, then sub-blocks
    else if (introducer === 0x2c) {
      const descriptor = await r.read(pos + 9, 1);
      pos += 10 + colorTable(descriptor[0] ?? 0) + 1; // descriptor, local colours, LZW code size
    } else return incomplete(introducer < 0 ? "no GIF trailer" : `no GIF block at ${pos}`);
    for (let size = await r.byte(pos); size !== 0; size = await r.byte(pos)) {
      if (size < 0) return incomplete("no GIF trailer");
      pos += size + 1;
    }
    pos++; // the block terminator
  }
}

/** Bytes of the colour table a packed field announces (none without its top bit). */
const colorTable = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 0x07) + 1) : 0);
