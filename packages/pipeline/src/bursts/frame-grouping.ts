/**
 * The grouping itself, free of storage: which burst a new frame joins, and which frames of a
 * burst are its picks. A frame joins the burst of the nearest-looking frame of its camera shot
 * within the gap (single linkage over time and perceptual hash), so a scene change inside a run
 * of frames starts a new burst, and frames that arrive out of order still find their burst.
 */
import type { PhotoId } from "@photo-relay/core";

/** A frame of one camera as the grouping sees it. */
export interface CameraFrame {
  photoId: PhotoId;
  /** When it was shot, ms (see `shotAt`). */
  at: number;
  /** Perceptual hash, 16 hex digits. */
  hash: string;
  burstId: string;
  /** It opened its burst. */
  lead?: true;
}

export interface GroupingRules {
  gapMs: number;
  maxDistance: number;
}

/**
 * Where `frame` belongs among `recent` frames of its camera: with the frame shot within the gap
 * whose hash is closest (nearest in time on a tie), else at the head of a new burst named
 * `newBurstId`. A frame already placed keeps its place, so placing is idempotent.
 */
export function placeFrame(
  recent: readonly CameraFrame[],
  frame: Omit<CameraFrame, "burstId" | "lead">,
  rules: GroupingRules,
  newBurstId: string,
): CameraFrame {
  const placed = recent.find((f) => f.photoId === frame.photoId);
  if (placed) return placed;
  let best: { frame: CameraFrame; distance: number; dt: number } | undefined;
  for (const other of recent) {
    const dt = Math.abs(other.at - frame.at);
    if (dt > rules.gapMs) continue;
    const distance = hashDistance(other.hash, frame.hash);
    if (distance > rules.maxDistance) continue;
    if (!best || distance < best.distance || (distance === best.distance && dt < best.dt))
      best = { frame: other, distance, dt };
  }
  return best ? { ...frame, burstId: best.frame.burstId } : { ...frame, burstId: newBurstId, lead: true };
}

/**
 * Bits in which two 64-bit hashes (16 hex digits) differ, as imaging's `hashDistance`; kept here
 * so that publish, mirror and the API, which group and decide too, bundle no sharp.
 */
export function hashDistance(a: string, b: string): number {
  let distance = 0;
  for (let i = 0; i < 16; i += 8) {
    let x = (Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0;
    for (; x; x &= x - 1) distance++;
  }
  return distance;
}

/** What the decision knows of each member. */
export interface ScoredFrame {
  photoId: PhotoId;
  score: number;
  at: number;
}

/** The `count` best frames: highest score first; on a tie the earlier frame, then the lower id. */
export function pickFrames(members: readonly ScoredFrame[], count: number): PhotoId[] {
  return [...members]
    .sort((a, b) => b.score - a.score || a.at - b.at || (a.photoId < b.photoId ? -1 : 1))
    .slice(0, count)
    .map((m) => m.photoId);
}
