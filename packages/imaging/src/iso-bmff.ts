/**
 * A bounds-checked ISO base media file (MP4/MOV/HEIF) box walker. Box sizes come from the file, so
 * every one is checked against its parent: a truncated upload throws `truncated` instead of reading
 * past the end.
 */
import { ImagingError } from "./errors.ts";

export interface Box {
  type: string;
  /** Offset of the box's first byte (its size field). */
  start: number;
  /** Offset of the payload, after the (possibly 64-bit) header. */
  body: number;
  end: number;
}

/** No real file nests deeper or holds more boxes at one level; more means a corrupt or hostile file. */
const MAX_BOXES = 100_000;

export function readBoxes(buf: Uint8Array, start = 0, end = buf.length): Box[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const boxes: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    if (boxes.length >= MAX_BOXES) throw new ImagingError("corrupt_image", "too many boxes");
    let size = view.getUint32(at);
    const type = String.fromCharCode(...buf.subarray(at + 4, at + 8));
    let body = at + 8;
    if (size === 1) {
      if (at + 16 > end) throw new ImagingError("truncated", `file ends inside the header of box '${type}'`);
      size = Number(view.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = end - at; // "extends to the end of the file"
    }
    if (size < body - at)
      throw new ImagingError("corrupt_image", `box '${type}' at ${at} has impossible size ${size}`);
    if (at + size > end) {
      throw new ImagingError(
        "truncated",
        `box '${type}' at ${at} needs ${size} bytes, only ${end - at} remain`,
      );
    }
    boxes.push({ type, start: at, body, end: at + size });
    at += size;
  }
  return boxes;
}

/** The first child of `parent` (or, with a path, descendant) of the given type. */
export function findBox(buf: Uint8Array, parent: Box, ...path: string[]): Box | undefined {
  let current: Box | undefined = parent;
  for (const type of path) {
    if (!current) return undefined;
    current = readBoxes(buf, current.body, current.end).find((b) => b.type === type);
  }
  return current;
}

export function findAll(buf: Uint8Array, parent: Box, type: string): Box[] {
  return readBoxes(buf, parent.body, parent.end).filter((b) => b.type === type);
}
