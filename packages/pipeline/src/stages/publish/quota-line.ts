/**
 * The publishing quota's line (issue 14). A photo the spent quota defers joins the line
 * (`stages.publish.quotaLine`); the line lets photos through in arrival order, oldest first, as
 * the rolling window frees: a photo passes the gate only while fewer photos wait before it than the
 * window has free posts. So a deferred burst is posted in the order it arrived, a newcomer never
 * overtakes the line, and a photo that wakes while earlier ones still wait defers again behind
 * them. Double posts stay the lease's and the conditional writes' business (`publish-steps.ts`).
 */
import type { Logger } from "@photo-relay/core";
import { quotaDeferSeconds, readQuotaGate } from "@photo-relay/instagram";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import { setStage } from "../../photo/stage-transitions.ts";
import type { PublishRuntime } from "./publish-runtime.ts";

/** Go on now, or wait `delaySeconds` in the line. */
export type QuotaTurn = { go: true } | { go: false; delaySeconds: number };

type Arrival = Pick<PhotoRecord, "id" | "createdAt">;

/** Whether the photo may post now; when not, it has joined the line. */
export async function quotaTurn(rt: PublishRuntime, photo: Arrival, log: Logger): Promise<QuotaTurn> {
  const [gate, ahead] = await Promise.all([readQuotaGate(rt.graph), waitingBefore(rt, photo)]);
  if (ahead < gate.free) return { go: true };
  const delaySeconds = await joinQuotaLine(rt, photo, ahead);
  log.info("publishing quota: waiting in line", { ...gate, ahead, delaySeconds });
  return { go: false, delaySeconds };
}

/**
 * Puts the photo in the line (again) and answers when it looks next: `ahead`, when known, spares
 * reading the line once more.
 */
export async function joinQuotaLine(rt: PublishRuntime, photo: Arrival, ahead?: number): Promise<number> {
  await rt.photos.update(photo.id, (p) =>
    p.stages.publish.quotaLine ? undefined : setStage("publish", { quotaLine: true }, {}, rt.now())(p),
  );
  return quotaDeferSeconds(rt.config.instagram, ahead ?? (await waitingBefore(rt, photo)));
}

/** How many photos in the line arrived before this one. */
async function waitingBefore(rt: PublishRuntime, photo: Arrival): Promise<number> {
  const line = await rt.photos.quotaLine();
  return line.filter(
    (p) => p.createdAt < photo.createdAt || (p.createdAt === photo.createdAt && p.id < photo.id),
  ).length;
}
