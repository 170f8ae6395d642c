/**
 * The owner's choices about one photo before it is posted: hold publishing, skip it, release it
 * again, and a caption that replaces the template's. They are fields on the photo record
 * (`publishHold`, `captionOverride`) for the publish stage to honour; skipping also marks the
 * publish stage `skipped`, which the stage already never posts.
 */

import { ValidationError } from "@photo-relay/core";
import { CAPTION_LIMITS } from "@photo-relay/instagram";
import { type PublishRuntime, requestPublish } from "@photo-relay/pipeline/api";
import { type PhotoRecord, setStage } from "@photo-relay/pipeline/photo";
import { UploadRefused } from "./web-errors.ts";

export type OwnerChoices = { publishHold?: "hold" | "skip"; captionOverride?: string };
export type ChosenPhoto = PhotoRecord & OwnerChoices;

export type PublishingAction = "hold" | "skip" | "release";

const published = (p: PhotoRecord) =>
  p.stages.publish.mediaId !== undefined || p.stages.publish.status === "done";

export async function choosePublishing(
  rt: PublishRuntime,
  id: string,
  action: PublishingAction,
): Promise<ChosenPhoto> {
  let requeue = false;
  const photo = await rt.photos.update(id, (current) => {
    const p = current as ChosenPhoto;
    if (published(p)) throw new UploadRefused("already_published", "this photo is already on Instagram");
    const { publishHold: _h, ...rest } = p;
    if (action === "hold")
      return p.publishHold === "hold" ? undefined : ({ ...rest, publishHold: "hold" } as ChosenPhoto);
    if (action === "skip") {
      return setStage(
        "publish",
        { status: "skipped" },
        { publishHold: "skip" } as Partial<PhotoRecord>,
        rt.now(),
      )(p);
    }
    if (!p.publishHold) return undefined;
    // Released after a skip: the publish stage starts again from the beginning.
    requeue = p.publishHold === "skip";
    const released = rest as PhotoRecord;
    return requeue ? setStage("publish", { status: "pending" }, {}, rt.now())(released) : released;
  });
  // The owner wants it posted after all: approved, and queued as "publish now" queues it.
  if (requeue) await requestPublish(rt, id);
  return photo as ChosenPhoto;
}

/** Sets (or with `null`, clears) the caption posted instead of the template's. */
export async function setCaption(
  rt: PublishRuntime,
  id: string,
  caption: string | null,
): Promise<ChosenPhoto> {
  if (caption !== null && caption.length > CAPTION_LIMITS.chars) {
    throw new ValidationError("caption_too_long", `a caption has at most ${CAPTION_LIMITS.chars} characters`);
  }
  const photo = await rt.photos.update(id, (current) => {
    const p = current as ChosenPhoto;
    if (published(p))
      throw new UploadRefused(
        "already_published",
        "this photo is already on Instagram; its caption cannot change here",
      );
    const { captionOverride: _c, ...rest } = p;
    return (caption === null ? rest : { ...rest, captionOverride: caption }) as ChosenPhoto;
  });
  return photo as ChosenPhoto;
}
