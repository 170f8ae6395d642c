/**
 * A burst as the API shows it: its frames in shooting order with their scores, whether it is still
 * open (frames may join; `picks` are then the frames it would pick now) or decided, and its picks.
 */
import type { BurstPolicy, PhotoId } from "@photo-relay/core";
import { picksAllowed } from "../bursts/burst-rules.ts";
import type { Burst } from "../bursts/burst-store.ts";
import { pickFrames } from "../bursts/frame-grouping.ts";
import type { PhotoRecord } from "../photo/photo-record.ts";
import type { Runtime } from "../runtime.ts";

export interface BurstMemberView {
  photoId: PhotoId;
  /** When it was shot (ISO 8601; the camera's wall clock read as UTC when it wrote no offset). */
  shotAt: string;
  score: number;
  sharpness: number;
  motion: number;
  exposure: number;
  role: "open" | "pick" | "alternate";
}

export interface BurstView {
  id: string;
  policy: BurstPolicy;
  state: "open" | "decided";
  /** Open: when it is decided if no frame joins before. */
  settlesAt?: string;
  decidedAt?: string;
  /** The frames posted (decided) or that would be (open); `owner` when chosen in the dashboard. */
  picks: PhotoId[];
  pickedBy: "score" | "owner";
  /** The frame that opened the burst (the gallery shows it while the burst is open). */
  lead: PhotoId;
  members: BurstMemberView[];
}

/** The burst with this id; `NotFoundError` when there is none. */
export async function describeBurst(rt: Runtime, id: string): Promise<BurstView> {
  return burstView(rt, await rt.bursts.require(id));
}

/** The bursts of these photos, by id (each read once). */
export async function burstsOf(rt: Runtime, photos: readonly PhotoRecord[]): Promise<Map<string, BurstView>> {
  const ids = [...new Set(photos.flatMap((p) => (p.burst ? [p.burst.id] : [])))];
  const bursts = await Promise.all(ids.map((id) => rt.bursts.get(id)));
  return new Map(bursts.flatMap((b) => (b ? [[b.burstId, burstView(rt, b)] as const] : [])));
}

export function burstView(rt: Runtime, burst: Burst): BurstView {
  const members = Object.entries(burst.members)
    .map(([photoId, m]) => ({ photoId, ...m }))
    .sort((a, b) => a.at - b.at || (a.photoId < b.photoId ? -1 : 1));
  const { decision } = burst;
  const picks = decision?.picks ?? burst.ownerPicks ?? pickFrames(members, picksAllowed(burst.policy));
  const role = (id: PhotoId) => (!decision ? "open" : picks.includes(id) ? "pick" : "alternate");
  const settlesAt = burst.lastJoin.at + rt.config.bursts.settleSeconds * 1000;
  return {
    id: burst.burstId,
    policy: burst.policy,
    state: decision ? "decided" : "open",
    ...(decision ? { decidedAt: decision.at } : { settlesAt: new Date(settlesAt).toISOString() }),
    picks,
    pickedBy: (decision?.by ?? (burst.ownerPicks ? "owner" : "score")) as BurstView["pickedBy"],
    lead: burst.lead,
    members: members.map(({ photoId, at, score, sharpness, motion, exposure }) => ({
      photoId,
      shotAt: new Date(at).toISOString(),
      score,
      sharpness,
      motion,
      exposure,
      role: role(photoId),
    })),
  };
}
