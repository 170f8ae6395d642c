/**
 * The owner's choices about one photo before it is posted: hold publishing, skip it, release it
 * again, and a caption that replaces the template's. They are fields on the photo record
 * (`publishHold`, `captionOverride`) that the publish stage honours: a hold parks the stage until
 * the release (`@photo-relay/pipeline`'s `publish-hold.ts`), skipping marks it `skipped`, which
 * the stage never posts, and the caption is posted instead of the template's.
 */

import { ValidationError } from "@photo-relay/core";
import { CAPTION_LIMITS } from "@photo-relay/instagram";
import { holdPublishing, type PublishRuntime, releaseHold, requestPublish } from "@photo-relay/pipeline/api";
import { type PhotoRecord, setStage } from "@photo-relay/pipeline/photo";
import { UploadRefused } from "./web-errors.ts";

export type PublishingAction = "hold" | "skip" | "release";

const published = (p: PhotoRecord) =>
  p.stages.publish.mediaId !== undefined || p.stages.publish.status === "done";

export async function choosePublishing(
  rt: PublishRuntime,
  id: string,
  action: PublishingAction,
): Promise<PhotoRecord> {
  if (action === "hold") return holdPublishing(rt, id);
  const current = await rt.photos.require(id);
  if (action === "release" && current.publishHold !== "skip") return releaseHold(rt, id);
  let requeue = false;
  const photo = await rt.photos.update(id, (p) => {
    requeue = false;
    if (published(p)) throw new UploadRefused("already_published", "this photo is already on Instagram");
    const { publishHold: _h, ...rest } = p;
    if (action === "skip") {
      return setStage("publish", { status: "skipped" }, { publishHold: "skip" }, rt.now())(rest);
    }
    if (p.publishHold !== "skip") return undefined;
    // Released after a skip: the publish stage starts again from the beginning.
    requeue = true;
    return setStage("publish", { status: "pending" }, {}, rt.now())(rest);
  });
  // The owner wants it posted after all: approved, and queued as "publish now" queues it.
  if (requeue) await requestPublish(rt, id);
  return photo;
}

/** Sets (or with `null`, clears) the caption posted instead of the template's. */
export async function setCaption(
  rt: PublishRuntime,
  id: string,
  caption: string | null,
): Promise<PhotoRecord> {
  if (caption !== null && caption.length > CAPTION_LIMITS.chars) {
    throw new ValidationError("caption_too_long", `a caption has at most ${CAPTION_LIMITS.chars} characters`);
  }
  return rt.photos.update(id, (p) => {
    if (published(p))
      throw new UploadRefused(
        "already_published",
        "this photo is already on Instagram; its caption cannot change here",
      );
    const { captionOverride: _c, ...rest } = p;
    return caption === null ? rest : { ...rest, captionOverride: caption };
  });
}
