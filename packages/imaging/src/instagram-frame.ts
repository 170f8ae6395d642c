/**
 * Where a photo lands in its Instagram rendition. Instagram refuses feed images outside 4:5 … 1.91:1
 * and rescales widths outside 320…1440, so we bring the aspect in range ourselves (pad or crop) and
 * choose a width that never enlarges the source, except up to Instagram's 320 px minimum.
 */
export const INSTAGRAM_LIMITS = {
  minRatio: 4 / 5,
  maxRatio: 1.91,
  minWidth: 320,
  maxWidth: 1440,
  /** Meta's limit is "8 MB"; its error text says 8 MiB. The smaller reading is safe under both. */
  maxBytes: 8_000_000,
} as const;

export interface InstagramFrame {
  width: number;
  height: number;
  /** fit: the aspect was already in range; pad: the photo sits inside a larger frame; crop: cut to the frame. */
  mode: "fit" | "pad" | "crop";
  /** Size and place of the photo inside the frame (equal to the frame unless padded). */
  content: { width: number; height: number; left: number; top: number };
}

export function planInstagramFrame(
  sourceWidth: number,
  sourceHeight: number,
  targetWidth: number,
  aspect: "pad" | "crop",
): InstagramFrame {
  const { minRatio, maxRatio, minWidth, maxWidth } = INSTAGRAM_LIMITS;
  const ratio = sourceWidth / sourceHeight;
  const clampWidth = (natural: number): number =>
    Math.max(minWidth, Math.min(maxWidth, targetWidth, Math.floor(natural)));

  if (ratio >= minRatio && ratio <= maxRatio) {
    const width = clampWidth(sourceWidth);
    // Rounding must not push a ratio at the edge (say 1.9099) out of range: 1080/565 is 1.9115.
    const height = Math.min(
      Math.floor(width / minRatio),
      Math.max(Math.ceil(width / maxRatio), Math.round(width / ratio)),
    );
    return { width, height, mode: "fit", content: { width, height, left: 0, top: 0 } };
  }
  const tooWide = ratio > maxRatio;
  if (aspect === "crop") {
    // The crop keeps the full height of a panorama or the full width of a tall photo.
    const width = clampWidth(tooWide ? sourceHeight * maxRatio : sourceWidth);
    const height = tooWide ? Math.ceil(width / maxRatio) : Math.floor(width / minRatio);
    return { width, height, mode: "crop", content: { width, height, left: 0, top: 0 } };
  }
  if (tooWide) {
    const width = clampWidth(sourceWidth);
    const height = Math.ceil(width / maxRatio);
    const contentHeight = Math.max(1, Math.min(height, Math.round(width / ratio)));
    return {
      width,
      height,
      mode: "pad",
      content: { width, height: contentHeight, left: 0, top: Math.floor((height - contentHeight) / 2) },
    };
  }
  const width = clampWidth(sourceHeight * minRatio);
  const height = Math.floor(width / minRatio);
  const contentWidth = Math.max(1, Math.min(width, Math.round(height * ratio)));
  return {
    width,
    height,
    mode: "pad",
    content: { width: contentWidth, height, left: Math.floor((width - contentWidth) / 2), top: 0 },
  };
}

/** The fraction of the source's width the Instagram rendition needs (>1 only for tiny sources). */
export function instagramScale(frame: InstagramFrame, sourceWidth: number, sourceHeight: number): number {
  if (frame.mode === "crop") return Math.max(frame.width / sourceWidth, frame.height / sourceHeight);
  return frame.content.width / sourceWidth;
}
