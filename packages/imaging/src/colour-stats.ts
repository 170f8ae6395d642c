/**
 * Per-channel mean and spread, luma mean and the clipped shares of an 8-bit RGB frame, from every
 * `step`-th pixel of every `step`-th row: for shares and spreads of a whole frame, a regular sample
 * of a few hundred thousand pixels gives the same figures to a fraction of a level.
 */
export interface ColourStats {
  mean: [number, number, number];
  deviation: [number, number, number];
  meanLuma: number;
  /** Share of sampled pixels at luma ≥ 250 and ≤ 5. */
  highlightsClipped: number;
  shadowsClipped: number;
}

const HIGHLIGHT = 250;
const SHADOW = 5;

export function colourStats(data: Uint8Array, width: number, height: number, step = 1): ColourStats {
  let r0 = 0;
  let g0 = 0;
  let b0 = 0;
  let r2 = 0;
  let g2 = 0;
  let b2 = 0;
  let luma = 0;
  let bright = 0;
  let dark = 0;
  let n = 0;
  const stride = width * 3;
  for (let y = 0; y < height; y += step) {
    for (let i = y * stride, end = i + stride; i < end; i += 3 * step) {
      const r = data[i] ?? 0;
      const g = data[i + 1] ?? 0;
      const b = data[i + 2] ?? 0;
      r0 += r;
      g0 += g;
      b0 += b;
      r2 += r * r;
      g2 += g * g;
      b2 += b * b;
      // Rec. 601 luma in fixed point, as JPEG defines it.
      const l = (77 * r + 150 * g + 29 * b + 128) >> 8;
      luma += l;
      if (l >= HIGHLIGHT) bright++;
      else if (l <= SHADOW) dark++;
      n++;
    }
  }
  const count = Math.max(1, n);
  const mean = (s: number) => s / count;
  const deviation = (s: number, q: number) => Math.sqrt(Math.max(0, q / count - (s / count) ** 2));
  return {
    mean: [mean(r0), mean(g0), mean(b0)],
    deviation: [deviation(r0, r2), deviation(g0, g2), deviation(b0, b2)],
    meanLuma: mean(luma),
    highlightsClipped: bright / count,
    shadowsClipped: dark / count,
  };
}
