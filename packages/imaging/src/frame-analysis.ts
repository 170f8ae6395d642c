/**
 * What "best of the burst" needs to know about one frame, measured on the pixels convert has
 * already decoded (upright, sRGB, at most the web rendition's size): a perceptual hash to tell one
 * scene from another, and quality scores to pick the best frame of a scene.
 *
 * - Hash: pHash (DCT of the 32×32 luma, 64 bits above the mean of the low frequencies) by
 *   sharp-phash, fed a 32×32 reduction of our decoded pixels so nothing is decoded twice.
 * - Sharpness: energy of the Laplacian in the "subject": the most detailed quarter of an 8×8 tile
 *   grid, weighted towards the centre, divided by the frame's contrast so that an exposure change
 *   alone does not change it (a brighter frame has stronger edges, not sharper ones).
 * - Motion: the coherence of the subject's structure tensor. Motion blur smears detail along one
 *   direction, so the gradients that survive point one way; a small penalty, with that direction.
 * - Exposure: the shares of clipped highlights and shadows (from a regular sample of the pixels).
 */
import sharp from "sharp";
import sharpPhash from "sharp-phash";
import { colourStats } from "./colour-stats.ts";
import { type SubjectTensor, subjectTensor } from "./subject-tensor.ts";

/** Upright 8-bit RGB pixels, as renderRenditions decodes them. */
export interface FramePixels {
  data: Buffer;
  width: number;
  height: number;
}

/** The analysis of one frame; every part is meant to be stored on the photo record. */
export interface FrameAnalysis {
  /** pHash, 64 bits as 16 hex digits. Compare two with {@link hashDistance} (0 … 64). */
  hash: string;
  hashMethod: "phash-dct64";
  /**
   * 0 … 1: sharpness (normalised) × exposure × (1 − motion penalty), saturated like the sharpness
   * score. The best frame of a burst has the highest.
   */
  score: number;
  sharpness: {
    /** 0 … 1, from `normalised`: 0.5 at {@link SHARPNESS_HALF}. */
    score: number;
    /** Mean squared Laplacian of the green channel over the subject tiles (levels²). */
    laplacianEnergy: number;
    /** `laplacianEnergy` over the frame's green variance: unchanged by exposure, falls with blur. */
    normalised: number;
    /** Where the subject was found, as fractions of the frame. */
    subject: { left: number; top: number; width: number; height: number };
  };
  motion: {
    /** 0 (gradients in every direction) … 1 (all one way: smeared along `directionDegrees`). */
    coherence: number;
    /** The direction detail was smeared along, 0 … 180° (0 = horizontal, 90 = vertical). */
    directionDegrees: number;
    /** What the score loses to motion: {@link MOTION_WEIGHT} × coherence. */
    penalty: number;
  };
  exposure: {
    /** 0 … 1: 1 − 0.5 × highlights − 0.25 × shadows. */
    score: number;
    /** Share of pixels at luma ≥ 250. */
    highlightsClipped: number;
    /** Share of pixels at luma ≤ 5. */
    shadowsClipped: number;
    /** 0 … 255. */
    meanLuma: number;
  };
  /** Per-channel mean and standard deviation (R, G, B), 0 … 255. */
  colour: { mean: [number, number, number]; deviation: [number, number, number] };
  /** The size of the pixels analysed. */
  analysedSize: { width: number; height: number };
}

/** The normalised Laplacian energy that scores 0.5; a crisp photo is well above, a soft one below. */
export const SHARPNESS_HALF = 0.5;
export const MOTION_WEIGHT = 0.25;
/** Colour statistics (spread, clipping) are read from about this many pixels: plenty for shares. */
const STATS_SAMPLES = 200_000;
const PHASH_SIZE = 32;
/**
 * Frames of one burst differ by fractions of a stop, and a white backdrop or a night sky clips by
 * intent: clipping costs a frame against an equally sharp one, never against a blurred one.
 */
const HIGHLIGHT_WEIGHT = 0.5;
const SHADOW_WEIGHT = 0.25;

// sharp-phash is CommonJS (`module.exports = phash`) but types itself as `export default`, which
// TypeScript's nodenext reads as `module.exports.default`; Node hands us the function itself.
const phash = sharpPhash as unknown as typeof sharpPhash.default;

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Analyses decoded pixels; about 20 ms for a 2048×1367 frame on one core. */
export async function analyseFrame(pixels: FramePixels): Promise<FrameAnalysis> {
  const { data, width, height } = pixels;
  // pHash starts from a 32×32 greyscale; reducing the colour image first (on libvips's threads,
  // while this one measures detail) and letting sharp-phash take the greyscale of that is the same
  // method at a thousandth of the cost of a full-size greyscale conversion.
  const tiny = sharp(data, { raw: { width, height, channels: 3 } })
    .resize(PHASH_SIZE, PHASH_SIZE, { fit: "fill" })
    .raw()
    .toBuffer();
  const subject = subjectTensor(data, width, height);
  const colour = colourStats(
    data,
    width,
    height,
    Math.max(1, Math.floor(Math.sqrt((width * height) / STATS_SAMPLES))),
  );
  const bits = await phash(await tiny, { raw: { width: PHASH_SIZE, height: PHASH_SIZE, channels: 3 } });
  const greenVariance = (colour.deviation[1] ?? 0) ** 2;
  const normalised = greenVariance > 0 ? subject.laplacianEnergy / greenVariance : 0;
  const sharpnessScore = saturate(normalised);
  const motion = motionOf(subject);
  const exposureScore = Math.max(
    0,
    1 - HIGHLIGHT_WEIGHT * colour.highlightsClipped - SHADOW_WEIGHT * colour.shadowsClipped,
  );
  return {
    hash: bitsToHex(bits),
    hashMethod: "phash-dct64",
    // Saturate last: the product keeps the ratios between frames (a blown frame at twice the detail
    // of a blurred one still wins), which a product of saturated parts would squash.
    score: round(saturate(normalised * exposureScore * (1 - motion.penalty)), 6),
    sharpness: {
      score: round(sharpnessScore),
      laplacianEnergy: round(subject.laplacianEnergy, 2),
      normalised: round(normalised, 6),
      subject: subject.box,
    },
    motion,
    exposure: {
      score: round(exposureScore),
      highlightsClipped: round(colour.highlightsClipped),
      shadowsClipped: round(colour.shadowsClipped),
      meanLuma: round(colour.meanLuma, 2),
    },
    colour: {
      mean: colour.mean.map((v) => round(v, 2)) as [number, number, number],
      deviation: colour.deviation.map((v) => round(v, 2)) as [number, number, number],
    },
    analysedSize: { width, height },
  };
}

const saturate = (n: number): number => n / (n + SHARPNESS_HALF);

function motionOf({ xx, yy, xy }: SubjectTensor): FrameAnalysis["motion"] {
  const trace = xx + yy;
  const coherence = trace > 0 ? Math.sqrt((xx - yy) ** 2 + 4 * xy ** 2) / trace : 0;
  // The strongest gradients point at `gradient`; the smear runs across them.
  const gradient = (0.5 * Math.atan2(2 * xy, xx - yy) * 180) / Math.PI;
  const direction = (((gradient + 90) % 180) + 180) % 180;
  return {
    coherence: round(coherence),
    directionDegrees: Math.round(direction),
    penalty: round(MOTION_WEIGHT * coherence),
  };
}

function bitsToHex(bits: string): string {
  let hex = "";
  for (let i = 0; i < bits.length; i += 4) hex += Number.parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/**
 * Hamming distance between two hashes from {@link analyseFrame}: 0 for the same picture, about 32
 * for unrelated ones. Frames of one scene stay under {@link SAME_SCENE_MAX_DISTANCE}.
 */
export function hashDistance(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hashes differ in length (${a.length} vs ${b.length})`);
  let distance = 0;
  for (let i = 0; i < a.length; i++) {
    let x = Number.parseInt(a[i] ?? "0", 16) ^ Number.parseInt(b[i] ?? "0", 16);
    for (; x; x &= x - 1) distance++;
  }
  return distance;
}

/**
 * The largest hash distance the burst grouping should treat as "the same scene". Measured on the
 * labelled bursts of test/burst-analysis.test.ts (26 scenes, drawn and real, each shot as 6 frames
 * with ±6 px shake, ±0.3 EV, blur σ 1–3 and 7–13 px motion): frames of one scene lie 0 … 11 apart
 * (median 3, 95th percentile 8), distinct scenes 18 … 47 (5th percentile 25, median 32). 14 sits
 * in the gap; the grouping also requires the frames to be close in time.
 */
export const SAME_SCENE_MAX_DISTANCE = 14;
