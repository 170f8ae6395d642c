/**
 * A minimal ISO-BMFF (MP4/MOV) probe: enough to apply Meta's Reels container rules (an `ftyp` brand,
 * `moov` before `mdat` — "faststart" — and the duration from `mvhd`) without decoding anything.
 */
export type Mp4Probe =
  | { ok: true; brand: string; durationSeconds: number }
  | { ok: false; reason: "not_mp4" | "moov_after_mdat" | "no_moov" };

interface Box {
  type: string;
  start: number;
  headerSize: number;
  /** End offset; may lie past the buffer when only the head of the file was downloaded. */
  end: number;
}

function* boxes(buf: Uint8Array, from: number, to: number): Generator<Box> {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = from;
  while (at + 8 <= Math.min(to, buf.byteLength)) {
    let size = view.getUint32(at);
    let headerSize = 8;
    const type = String.fromCharCode(...buf.subarray(at + 4, at + 8));
    if (size === 1) {
      if (at + 16 > buf.byteLength) return;
      size = Number(view.getBigUint64(at + 8));
      headerSize = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < headerSize) return;
    yield { type, start: at, headerSize, end: at + size };
    at += size;
  }
}

/** Probes the head of a file (the whole file when small). */
export function probeMp4(head: Uint8Array): Mp4Probe {
  const top = boxes(head, 0, Number.MAX_SAFE_INTEGER);
  const first = top.next();
  if (first.done || first.value.type !== "ftyp") return { ok: false, reason: "not_mp4" };
  const brand = String.fromCharCode(...head.subarray(first.value.start + 8, first.value.start + 12));
  for (const box of top) {
    if (box.type === "mdat") return { ok: false, reason: "moov_after_mdat" };
    if (box.type !== "moov") continue;
    for (const child of boxes(head, box.start + box.headerSize, box.end)) {
      if (child.type !== "mvhd") continue;
      const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
      const body = child.start + child.headerSize;
      const version = view.getUint8(body);
      const timescale = view.getUint32(body + (version === 1 ? 20 : 12));
      const duration = version === 1 ? Number(view.getBigUint64(body + 24)) : view.getUint32(body + 16);
      if (timescale === 0) return { ok: false, reason: "not_mp4" };
      return { ok: true, brand, durationSeconds: duration / timescale };
    }
    return { ok: false, reason: "no_moov" };
  }
  return { ok: false, reason: "no_moov" };
}
