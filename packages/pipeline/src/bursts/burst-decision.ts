/**
 * A burst is decided by whichever stage first finds it settled (no frame joined for
 * `bursts.settleSeconds`): a frame's publish step, or the mirror's check after the burst's last
 * join. The decision is one conditional write (see `BurstStore.decide`); applying it to a member's
 * record is a transition of that record alone, so every member learns its role once, whoever
 * applies it: a pick goes on to publish, an alternate's publish stage ends `skipped`.
 */
import type { PhotoId } from "@photo-relay/core";
import type { PhotoRecord } from "../photo/photo-record.ts";
import type { Transition } from "../photo/photo-store.ts";
import { setStage } from "../photo/stage-transitions.ts";
import type { Runtime } from "../runtime.ts";
import type { Burst } from "./burst-store.ts";

export type BurstVerdict =
  | { role: "open"; settlesInSeconds: number }
  | { role: "pick" }
  | { role: "alternate"; picks: PhotoId[] };

/** The burst of `photo` decided if it has settled, and the photo's record as it then stands. */
export async function settleFrame(
  rt: Runtime,
  photo: PhotoRecord,
): Promise<{ photo: PhotoRecord; verdict: BurstVerdict }> {
  const membership = photo.burst;
  if (!membership || membership.role === "pick") return { photo, verdict: { role: "pick" } };
  const settleMs = rt.config.bursts.settleSeconds * 1000;
  const burst = await rt.bursts.decide(membership.id, settleMs);
  if (!burst.decision) {
    const left = burst.lastJoin.at + settleMs - rt.now().getTime();
    return { photo, verdict: { role: "open", settlesInSeconds: Math.max(1, Math.ceil(left / 1000)) } };
  }
  const decided = await rt.photos.update(photo.id, applyDecision(burst, rt.now()));
  // The decision, not the record, says: a record that could not take it (posted since) stays as it is.
  const { picks } = burst.decision;
  return {
    photo: decided,
    verdict: picks.includes(photo.id) ? { role: "pick" } : { role: "alternate", picks },
  };
}

/** Records a decided burst's verdict on a member still `open`; a member already told is left alone. */
export function applyDecision(burst: Burst, now: Date): Transition {
  return (photo) => {
    const { decision } = burst;
    if (!decision || photo.burst?.id !== burst.burstId || photo.burst.role !== "open") return undefined;
    if (decision.picks.includes(photo.id)) return { ...photo, burst: { ...photo.burst, role: "pick" } };
    return asAlternate(photo, decision.picks, now);
  };
}

/**
 * The frame is not posted: `alternate`, its publish stage `skipped` with the reason and the picks.
 * `undefined` when that can no longer be: the frame is posted, or a consumer is posting it now.
 */
export function asAlternate(photo: PhotoRecord, picks: PhotoId[], now: Date): PhotoRecord | undefined {
  const stage = photo.stages.publish;
  if (!photo.burst || stage.mediaId || stage.status === "done") return undefined;
  if ((stage.leaseUntil ?? 0) > now.getTime()) return undefined;
  const named = picks.join(", ");
  const skipReason = {
    code: "not_best_of_burst",
    message: `not the best of its burst: ${picks.length > 1 ? `${named} were` : `${named} was`} picked`,
  };
  return setStage(
    "publish",
    { status: "skipped", skipReason, leaseUntil: 0 },
    { burst: { ...photo.burst, role: "alternate" } },
    now,
  )(photo);
}
