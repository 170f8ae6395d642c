/**
 * Convert's part of best of the burst: once a frame is analysed, it joins its camera's burst when
 * its policy groups it. Idempotent: a frame converted again (a repeated notification, a crash
 * before convert recorded it) finds its place among its camera's frames and keeps it.
 */
import type { BurstMembership, PhotoRecord } from "../photo/photo-record.ts";
import type { Runtime } from "../runtime.ts";
import { cameraOf, policyFor, shotAt } from "./burst-rules.ts";

/**
 * Places the analysed `photo` in its burst; `undefined` when its policy is `all`, or it has no
 * camera or analysis to group by (a screenshot, a video). `arrivedAt`: its arrival in S3, ms.
 */
export async function joinBurst(
  rt: Runtime,
  photo: PhotoRecord,
  arrivedAt: number,
): Promise<BurstMembership | undefined> {
  const settings = rt.config.bursts;
  const policy = policyFor(settings, photo);
  const camera = cameraOf(photo);
  const analysis = photo.analysis;
  if (policy.policy === "all" || !camera || !analysis) return undefined;
  const at = shotAt(photo, arrivedAt);
  const placed = await rt.bursts.place(
    camera,
    { photoId: photo.id, at, hash: analysis.hash },
    { gapMs: settings.gapSeconds * 1000, maxDistance: settings.maxHashDistance },
  );
  const member = {
    score: analysis.score,
    sharpness: analysis.sharpness.score,
    motion: analysis.motion.penalty,
    exposure: analysis.exposure.score,
    at,
    joinedAt: rt.now().getTime(),
  };
  await rt.bursts.join(placed, member, camera, policy);
  return { id: placed.frame.burstId, lead: placed.lead === photo.id, role: "open" };
}
