/** A tolerant box walker over an in-memory `moov`: a damaged box ends the walk instead of being read past. */
export interface Box {
  type: string;
  body: number;
  end: number;
}

export function* children(buf: Buffer, from: number, to: number): Generator<Box> {
  for (let at = from; at + 8 <= to; ) {
    let size = buf.readUInt32BE(at);
    let body = at + 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size === 0) size = to - at;
    if (size < body - at || at + size > to) return; // a damaged box ends the walk, it is not read past
    yield { type: buf.toString("latin1", at + 4, at + 8), body, end: at + size };
    at += size;
  }
}

export const child = (buf: Buffer, parent: Box, ...path: string[]): Box | undefined => {
  let current: Box | undefined = parent;
  for (const type of path) {
    if (!current) return undefined;
    current = [...children(buf, current.body, current.end)].find((b) => b.type === type);
  }
  return current;
};

/** The first track whose handler is `handler` ("vide", "soun"). */
export function trackOf(buf: Buffer, moov: Box | undefined, handler: string): Box | undefined {
  if (!moov) return undefined;
  return [...children(buf, moov.body, moov.end)].find((t) => {
    const hdlr = t.type === "trak" ? child(buf, t, "mdia", "hdlr") : undefined;
    return hdlr !== undefined && buf.toString("latin1", hdlr.body + 8, hdlr.body + 12) === handler;
  });
}
