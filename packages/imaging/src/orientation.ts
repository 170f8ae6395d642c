/**
 * EXIF orientation (1…8) as sharp operations, for pixels whose orientation lives elsewhere than in
 * their own EXIF (a RAW's embedded preview follows the RAW's IFD0). sharp applies rotate before
 * flip/flop, which this table relies on (checked against sharp's autoOrient in the tests).
 */
import type { Sharp } from "sharp";

const OPERATIONS: Record<number, { rotate?: number; flip?: boolean; flop?: boolean }> = {
  1: {},
  2: { flop: true },
  3: { rotate: 180 },
  4: { flip: true },
  5: { rotate: 90, flip: true },
  6: { rotate: 90 },
  7: { rotate: 90, flop: true },
  8: { rotate: 270 },
};

export function applyOrientation(image: Sharp, orientation: number): Sharp {
  const op = OPERATIONS[orientation] ?? {};
  let out = image;
  if (op.rotate) out = out.rotate(op.rotate);
  if (op.flip) out = out.flip();
  if (op.flop) out = out.flop();
  return out;
}

/** Orientations 5…8 turn the picture a quarter, swapping width and height. */
export const swapsAxes = (orientation: number | undefined): boolean => (orientation ?? 1) >= 5;
