/**
 * A photo still open at the end only because Instagram's limits hold it (issue 14: "every
 * publishable photo posted exactly once, or deferred in order by the quota"): its publish stage
 * waits for the publishing quota or the container limit and says when it looks next. Such a photo
 * is not lost; the checks count it as deferred, the drain as settled. A call-rate limit is not
 * one of these: it lifts within minutes, so a photo still waiting for it at the end is open.
 */
import type { PhotoRecord } from "@photo-relay/pipeline/photo";

const SETTLED = new Set(["done", "skipped"]);

export type LimitWait = NonNullable<PhotoRecord["stages"]["publish"]["waitingFor"]>;

export function heldByInstagramLimit(photo: PhotoRecord | undefined): LimitWait | undefined {
  const publish = photo?.stages.publish;
  if (photo?.status !== "processing" || publish?.status !== "waiting") return undefined;
  // Nothing else open: the other stages are through.
  if (photo.stages.convert.status !== "done" || !SETTLED.has(photo.stages.mirror.status)) return undefined;
  const wait = publish.waitingFor;
  return wait && wait.limit !== "calls" ? wait : undefined;
}
