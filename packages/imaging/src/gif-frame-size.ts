/**
 * The size of a GIF's first frame. A GIF's header gives only the logical screen; a frame may declare
 * far more (the classic 65535x65535 bomb inside a 32x32 screen), so the frame itself is checked.
 */
export function gifFirstFrameSize(buf: Uint8Array): { width: number; height: number } | undefined {
  const u16 = (at: number) => (buf[at] ?? 0) | ((buf[at + 1] ?? 0) << 8);
  const flags = buf[10] ?? 0;
  let at = 13 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0);
  while (at < buf.length) {
    const block = buf[at];
    if (block === 0x2c) return at + 9 <= buf.length ? { width: u16(at + 5), height: u16(at + 7) } : undefined;
    if (block !== 0x21) return undefined; // trailer or garbage: no frame
    at += 2; // introducer and label, then data sub-blocks until a zero length
    while (at < buf.length && buf[at] !== 0) at += (buf[at] ?? 0) + 1;
    at += 1;
  }
  return undefined;
}
