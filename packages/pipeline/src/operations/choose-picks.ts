/**
 * The owner chooses a burst's picks ("post this frame instead") in the dashboard. Before the burst
 * is decided, the choice is kept for the decision; after, frames no longer picked stop first (each
 * a conditional change of its record, refused once it is posted or a consumer is posting it), then
 * the decision changes, then the new picks go to publish. Every step is idempotent, so a request
 * that failed halfway is finished by sending it again.
 */
import type { PhotoId } from "@photo-relay/core";
import { asAlternate } from "../bursts/burst-decision.ts";
import { picksAllowed } from "../bursts/burst-rules.ts";
import type { Burst } from "../bursts/burst-store.ts";
import { RequestRefusedError } from "../errors.ts";
import { hasGallery } from "../jobs/photo-route.ts";
import type { PhotoRecord } from "../photo/photo-record.ts";
import type { Runtime } from "../runtime.ts";
import { type BurstView, burstView } from "./burst-view.ts";

export async function choosePicks(rt: Runtime, burstId: string, chosen: PhotoId[]): Promise<BurstView> {
  const picks = [...new Set(chosen)];
  let burst = await rt.bursts.require(burstId);
  if (picks.length === 0 || picks.some((id) => !burst.members[id]))
    throw new RequestRefusedError("not_in_burst");
  if (picks.length > picksAllowed(burst.policy)) throw new RequestRefusedError("too_many_picks");
  if (!burst.decision) {
    burst = await rt.bursts.update(burstId, (b) => (b.decision ? undefined : { ...b, ownerPicks: picks }));
    if (!burst.decision) return burstView(rt, burst);
  }
  return burstView(rt, await repick(rt, burst, picks));
}

async function repick(rt: Runtime, burst: Burst, picks: PhotoId[]): Promise<Burst> {
  const before = burst.decision?.picks ?? [];
  const dropped = before.filter((id) => !picks.includes(id));
  const added = picks.filter((id) => !before.includes(id));
  for (const id of dropped) {
    let refused = false;
    await rt.photos.update(id, (p) => {
      if (p.burst?.role === "alternate") return undefined;
      const next = asAlternate(p, picks, rt.now());
      refused = next === undefined;
      return next;
    });
    if (refused) throw new RequestRefusedError("pick_posted");
  }
  const decided = await rt.bursts.update(burst.burstId, (b) => ({
    ...b,
    decision: { at: rt.now().toISOString(), picks, by: "owner" },
  }));
  for (const id of added) {
    await rt.photos.update(id, (p) => asPick(p, rt.now()));
    await rt.queues.publish({ photoId: id, step: "create", checks: 0 });
  }
  if (hasGallery(rt.config)) for (const id of [...dropped, ...added]) await rt.queues.mirror({ photoId: id });
  return decided;
}

/** The frame is a pick again: its publish stage starts over if the burst had skipped it. */
function asPick(photo: PhotoRecord, now: Date): PhotoRecord | undefined {
  if (!photo.burst || photo.burst.role === "pick") return undefined;
  const { skipReason, ...stage } = photo.stages.publish;
  const reopen = stage.status === "skipped" && skipReason?.code === "not_best_of_burst";
  const publish = reopen
    ? { ...stage, status: "pending" as const, updatedAt: now.toISOString() }
    : photo.stages.publish;
  return { ...photo, burst: { ...photo.burst, role: "pick" }, stages: { ...photo.stages, publish } };
}
