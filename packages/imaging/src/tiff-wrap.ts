/**
 * Wraps raw 8-bit RGBA pixels and an ICC profile in a minimal uncompressed TIFF, the cheapest way to
 * hand sharp pixels together with the colour space they are in (raw input takes no profile).
 */
const TYPE = { short: 3, long: 4, undefined: 7 } as const;

export function rgbaTiff(pixels: Buffer, width: number, height: number, icc: Buffer): Buffer {
  const entries: [tag: number, type: number, count: number, value: number][] = [];
  const ifdAt = 8;
  const entryCount = 11;
  const bitsAt = ifdAt + 2 + entryCount * 12 + 4;
  const iccAt = bitsAt + 8;
  const pixelsAt = iccAt + icc.length + (icc.length % 2);
  entries.push(
    [256, TYPE.long, 1, width],
    [257, TYPE.long, 1, height],
    [258, TYPE.short, 4, bitsAt],
    [259, TYPE.short, 1, 1], // no compression
    [262, TYPE.short, 1, 2], // RGB
    [273, TYPE.long, 1, pixelsAt],
    [277, TYPE.short, 1, 4],
    [278, TYPE.long, 1, height],
    [279, TYPE.long, 1, pixels.length],
    [338, TYPE.short, 1, 2], // the fourth sample is unassociated alpha
    [34675, TYPE.undefined, icc.length, iccAt],
  );
  const head = Buffer.alloc(pixelsAt);
  head.write("II*\0", 0, "latin1");
  head.writeUInt32LE(ifdAt, 4);
  head.writeUInt16LE(entryCount, ifdAt);
  entries.forEach(([tag, type, count, value], i) => {
    const at = ifdAt + 2 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(count, at + 4);
    if (type === TYPE.short && count === 1) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(value, at + 8);
  });
  for (let i = 0; i < 4; i++) head.writeUInt16LE(8, bitsAt + i * 2);
  icc.copy(head, iccAt);
  return Buffer.concat([head, pixels]);
}
