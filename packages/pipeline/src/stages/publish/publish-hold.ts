/**
 * The owner's hold on publishing. While a photo is held (`publishHold: "hold"`), no publish step
 * makes a container or posts: the step that finds the hold parks the stage as `held` and hands
 * nothing on, so a held photo costs no queue traffic however long it waits. Releasing it queues
 * the stage again, exactly once, and only if a step parked it — a step still in flight (a
 * delayed check, convert's first job) goes on by itself and sees the release.
 *
 * Holding is refused while a consumer holds the publish lease: `media_publish` may be under way,
 * and a hold the owner was told about must never be followed by a post. The lease itself is
 * refused to a held photo (`publish-steps.ts`), so the two exclude each other.
 */
import type { Logger, PhotoId } from "@photo-relay/core";
import { RequestRefusedError } from "../../errors.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import { setStage } from "../../photo/stage-transitions.ts";
import type { Runtime } from "../../runtime.ts";

export const isHeld = (photo: Pick<PhotoRecord, "publishHold">): boolean => photo.publishHold === "hold";

const isPublished = (photo: PhotoRecord): boolean =>
  photo.stages.publish.mediaId !== undefined || photo.stages.publish.status === "done";

/**
 * Called by every publish step before it works: parks the stage as `held` when the photo is held
 * (unless the hold was released meanwhile). `true`: the step must end here, handing nothing on.
 */
export async function parkIfHeld(rt: Runtime, photo: PhotoRecord, log: Logger): Promise<boolean> {
  if (!isHeld(photo)) return false;
  const now = rt.now();
  const parked = await rt.photos.update(photo.id, (p) =>
    isHeld(p) && p.stages.publish.status !== "held" && !isPublished(p)
      ? setStage("publish", { status: "held", leaseUntil: 0 }, {}, now)(p)
      : undefined,
  );
  if (!isHeld(parked)) return false;
  log.info("publishing held by the owner; waiting for the release");
  return true;
}

/** Holds publishing (idempotent). Refused once posted, or while a consumer is posting it. */
export function holdPublishing(rt: Runtime, id: PhotoId): Promise<PhotoRecord> {
  return rt.photos.update(id, (p) => {
    if (isPublished(p)) throw new RequestRefusedError("already_published");
    if ((p.stages.publish.leaseUntil ?? 0) > rt.now().getTime()) {
      throw new RequestRefusedError("publishing_now");
    }
    return isHeld(p) ? undefined : { ...p, publishHold: "hold" };
  });
}

/**
 * Releases a hold. A stage that a step parked goes back to `pending` and its first step is queued
 * (once, however many releases race: only the write that removes the hold sees it parked); a
 * container made before the hold is checked and published from there.
 */
export async function releaseHold(rt: Runtime, id: PhotoId): Promise<PhotoRecord> {
  let parked = false;
  const photo = await rt.photos.update(id, (p) => {
    parked = false;
    if (!isHeld(p)) return undefined;
    const { publishHold: _, ...released } = p;
    if (p.stages.publish.status !== "held") return released;
    parked = true;
    return setStage("publish", { status: "pending" }, {}, rt.now())(released);
  });
  if (parked) await rt.queues.publish({ photoId: id, step: "create", checks: 0 });
  return photo;
}
