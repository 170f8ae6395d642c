/** The SQS message bodies between stages, validated when they are read (the boundary). */
import { isPhotoId } from "@photo-relay/core";
import { z } from "zod";
import { BadMessageError } from "../errors.ts";
import type { PublishMedia } from "../photo/photo-record.ts";

const photoId = z.string().refine(isPhotoId, "must be a SHA-256 hex photo id");

export const mirrorJob = z.object({
  photoId,
  /**
   * `burst`: sent when the photo joined a burst, to arrive once the burst has settled after it: the
   * burst is decided then (if nothing else decided it) and the gallery swaps its lead for its picks.
   */
  check: z.literal("burst").optional(),
});
export type MirrorJob = z.infer<typeof mirrorJob>;

/** What to publish the photo as (see `PublishMedia` on the photo record). */
export const publishMedia: z.ZodType<PublishMedia> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("image") }),
  z.object({
    kind: z.literal("reel"),
    videoKey: z.string().min(1),
    coverKey: z.string().min(1).optional(),
    shareToFeed: z.boolean(),
  }),
  z.object({ kind: z.literal("story"), videoKey: z.string().min(1).optional() }),
  z.object({
    kind: z.literal("carousel"),
    photoIds: z.array(photoId).min(2).max(10),
    children: z.array(z.string()).optional(),
    childrenAt: z.string().optional(),
  }),
]);

export const publishStep = z.enum(["create", "check", "publish", "permalink"]);
export type PublishStepName = z.infer<typeof publishStep>;

export const publishJob = z.object({
  photoId,
  step: publishStep,
  /** How many status checks came before this one (drives the growing delay). */
  checks: z.number().int().min(0).default(0),
  /** With `create`: what to publish the photo as, recorded on the photo before the container is made. */
  media: publishMedia.optional(),
});
export type PublishJob = z.infer<typeof publishJob>;

/** The job in a message body; a {@link BadMessageError} naming what is wrong otherwise. */
export function parseJob<T>(schema: z.ZodType<T>, body: string, queue: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new BadMessageError(queue, "is not JSON");
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new BadMessageError(queue, `is not a job: ${z.prettifyError(result.error)}`);
  return result.data;
}
