/**
 * The detail measures of a frame's subject. The frame is cut into an 8×8 grid; each tile sums the
 * squared Laplacian and the structure tensor of the green channel (the channel that carries most
 * of the luma, and the one a Bayer sensor samples twice). The subject is the quarter of the tiles
 * with the most detail after a centre weighting: where the photographer focused, usually. The
 * measures are taken at every second pixel of every second row, each from its own full-resolution
 * neighbours: a quarter of the work, and still blind to none of the finest blur.
 */
export interface SubjectTensor {
  /** Mean squared Laplacian over the subject's pixels. */
  laplacianEnergy: number;
  /** Structure tensor (means of gx², gy², gx·gy) over the subject's pixels. */
  xx: number;
  yy: number;
  xy: number;
  /** The subject tiles' bounding box, as fractions of the frame. */
  box: { left: number; top: number; width: number; height: number };
}

const GRID = 8;
const SAMPLE_STEP = 2;
const SUBJECT_TILES = (GRID * GRID) / 4;
/** Spread of the centre weighting, as a fraction of the frame (a tile at a corner weighs ~0.2). */
const CENTRE_SIGMA = 0.4;

export function subjectTensor(data: Uint8Array, width: number, height: number): SubjectTensor {
  const tiles = GRID * GRID;
  const lap = new Float64Array(tiles);
  const gxx = new Float64Array(tiles);
  const gyy = new Float64Array(tiles);
  const gxy = new Float64Array(tiles);
  const count = new Float64Array(tiles);
  const stride = width * 3;
  const columns = Array.from({ length: GRID + 1 }, (_, t) =>
    Math.min(width - 1, Math.max(1, Math.round((t * width) / GRID))),
  );
  for (let y = 1; y < height - 1; y += SAMPLE_STEP) {
    const row = Math.min(GRID - 1, Math.floor((y * GRID) / height)) * GRID;
    for (let tx = 0; tx < GRID; tx++) {
      const x0 = columns[tx] ?? 1;
      const x1 = columns[tx + 1] ?? width - 1;
      let l2 = 0;
      let xx = 0;
      let yy = 0;
      let xy = 0;
      // The green sample of pixel (x, y) is at y·stride + 3x + 1; its neighbours are ±3 and ±stride.
      for (let i = y * stride + x0 * 3 + 1, end = y * stride + x1 * 3 + 1; i < end; i += 3 * SAMPLE_STEP) {
        const left = data[i - 3] ?? 0;
        const right = data[i + 3] ?? 0;
        const up = data[i - stride] ?? 0;
        const down = data[i + stride] ?? 0;
        const l = left + right + up + down - 4 * (data[i] ?? 0);
        const gx = right - left;
        const gy = down - up;
        l2 += l * l;
        xx += gx * gx;
        yy += gy * gy;
        xy += gx * gy;
      }
      const t = row + tx;
      lap[t] = (lap[t] ?? 0) + l2;
      gxx[t] = (gxx[t] ?? 0) + xx;
      gyy[t] = (gyy[t] ?? 0) + yy;
      gxy[t] = (gxy[t] ?? 0) + xy;
      count[t] = (count[t] ?? 0) + Math.ceil(Math.max(0, x1 - x0) / SAMPLE_STEP);
    }
  }
  return pickSubject(lap, gxx, gyy, gxy, count);
}

function pickSubject(
  lap: Float64Array,
  gxx: Float64Array,
  gyy: Float64Array,
  gxy: Float64Array,
  count: Float64Array,
): SubjectTensor {
  const centre = (GRID - 1) / 2;
  const ranked = Array.from({ length: GRID * GRID }, (_, t) => {
    const dx = ((t % GRID) - centre) / GRID;
    const dy = (Math.floor(t / GRID) - centre) / GRID;
    const weight = Math.exp(-(dx * dx + dy * dy) / (2 * CENTRE_SIGMA ** 2));
    const pixels = count[t] ?? 0;
    return { t, rank: pixels > 0 ? (weight * (lap[t] ?? 0)) / pixels : 0 };
  }).sort((a, b) => b.rank - a.rank);
  let l2 = 0;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  let n = 0;
  let [minX, minY, maxX, maxY] = [GRID, GRID, 0, 0];
  for (const { t } of ranked.slice(0, SUBJECT_TILES)) {
    l2 += lap[t] ?? 0;
    xx += gxx[t] ?? 0;
    yy += gyy[t] ?? 0;
    xy += gxy[t] ?? 0;
    n += count[t] ?? 0;
    const [tx, ty] = [t % GRID, Math.floor(t / GRID)];
    [minX, minY, maxX, maxY] = [
      Math.min(minX, tx),
      Math.min(minY, ty),
      Math.max(maxX, tx),
      Math.max(maxY, ty),
    ];
  }
  const per = Math.max(1, n);
  return {
    laplacianEnergy: l2 / per,
    xx: xx / per,
    yy: yy / per,
    xy: xy / per,
    box: {
      left: minX / GRID,
      top: minY / GRID,
      width: (maxX - minX + 1) / GRID,
      height: (maxY - minY + 1) / GRID,
    },
  };
}
