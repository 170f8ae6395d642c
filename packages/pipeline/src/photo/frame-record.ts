/**
 * What convert keeps of imaging's capture facts and frame analysis, for grouping bursts and
 * picking the best frame of each: when the shutter fired, which body fired it, and the frame's
 * perceptual hash and quality scores with their parts. Only what a burst decision reads is kept,
 * rounded, so the record stays small (a few hundred bytes); the pixels' own statistics are not.
 */
import type { CaptureDevice, CaptureTime, FrameAnalysis } from "@photo-relay/imaging";

export interface FrameScores {
  /** pHash, 64 bits as 16 hex digits (imaging's `hashDistance` compares two). */
  hash: string;
  hashMethod: FrameAnalysis["hashMethod"];
  /** 0 … 1: the frame's overall quality, the best of a burst has the highest. */
  score: number;
  sharpness: { score: number; normalised: number };
  motion: { coherence: number; directionDegrees: number; penalty: number };
  exposure: { score: number; highlightsClipped: number; shadowsClipped: number; meanLuma: number };
}

export interface FrameRecord {
  /** When the shutter fired, to the millisecond when the camera says so. */
  capture?: CaptureTime;
  /** The body that took the photo (make, model, serial). */
  device?: CaptureDevice;
  /** The frame's hash and scores (absent for videos). */
  analysis?: FrameScores;
}

/** The analysis as the record keeps it. */
export function frameScores(analysis: FrameAnalysis): FrameScores {
  const { sharpness, motion, exposure } = analysis;
  return {
    hash: analysis.hash,
    hashMethod: analysis.hashMethod,
    score: round(analysis.score),
    sharpness: { score: round(sharpness.score), normalised: round(sharpness.normalised) },
    motion: {
      coherence: round(motion.coherence),
      directionDegrees: Math.round(motion.directionDegrees),
      penalty: round(motion.penalty),
    },
    exposure: {
      score: round(exposure.score),
      highlightsClipped: round(exposure.highlightsClipped),
      shadowsClipped: round(exposure.shadowsClipped),
      meanLuma: Math.round(exposure.meanLuma * 10) / 10,
    },
  };
}

/** Four significant digits: far finer than any two frames of a burst differ by. */
const round = (value: number): number => Number(value.toPrecision(4));
