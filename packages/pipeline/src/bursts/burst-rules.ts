/**
 * Which photos are grouped into bursts, and by what: the policy in force for a photo (its event's,
 * else its upload source's, else the default), the camera it came from, and when it was shot.
 */
import { createHash } from "node:crypto";
import type { BurstPolicy, Config } from "@photo-relay/core";
import type { PhotoRecord } from "../photo/photo-record.ts";

type BurstSettings = Config["bursts"];
type Shot = Pick<PhotoRecord, "source" | "capture" | "createdAt">;

/**
 * The policy for `photo`: the first event whose span holds its capture time, else its source's
 * (`guest:<linkId>` falls back to `guest`), else the default. Without a recorded UTC offset a
 * capture time is the camera's wall clock, not an instant, so events are then matched on arrival.
 */
export function policyFor(settings: BurstSettings, photo: Shot): BurstPolicy {
  const at = photo.capture?.hasOffset ? photo.capture.epochMs : Date.parse(photo.createdAt);
  const event = settings.events.find((e) => Date.parse(e.from) <= at && at < Date.parse(e.until));
  if (event) return { policy: event.policy, n: event.n };
  const source = photo.source ?? "upload";
  const own = settings.sources[source] ?? settings.sources[source.split(":")[0] ?? source];
  return own ?? { policy: settings.policy, n: settings.n };
}

/** How many frames of a burst are posted under `policy` (`all` never groups). */
export const picksAllowed = (policy: BurstPolicy): number => (policy.policy === "best-n" ? policy.n : 1);

/**
 * The camera a frame came from: make, model and body serial; without a serial (phones, most
 * compacts), the model and the upload source, so two guests' identical phones stay apart. A photo
 * with neither make nor model has no camera to group by.
 */
export function cameraOf(photo: Pick<PhotoRecord, "device" | "source">): string | undefined {
  const { make, model, serial } = photo.device ?? {};
  if (!make && !model) return undefined;
  const body = `${make?.trim() ?? ""}/${model?.trim() ?? ""}`;
  return serial ? `${body}#${serial.trim()}` : `${body}@${photo.source ?? "upload"}`;
}

/** A short stable name for a camera, for item keys and burst ids. */
export const cameraHash = (camera: string): string =>
  createHash("sha256").update(camera).digest("hex").slice(0, 16);

/**
 * When the frame was shot, in ms: the capture time (to the millisecond when the camera wrote
 * sub-seconds) or, without one, its arrival in S3. Only compared between frames of one camera.
 */
export function shotAt(photo: Pick<PhotoRecord, "capture">, arrivedAt: number): number {
  return photo.capture?.epochMs ?? arrivedAt;
}
