/** The SQS message bodies between stages, validated when they are read (the boundary). */
import { isPhotoId } from "@photo-relay/core";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import { BadMessageError } from "../errors.ts";
import type { PublishMedia } from "../photo/photo-record.ts";

const photoId = z.string().check(z.refine(isPhotoId, "must be a SHA-256 hex photo id"));
const key = z.string().check(z.minLength(1));

export const mirrorJob = z.object({
  photoId,
  /**
   * `burst`: sent when the photo joined a burst, to arrive once the burst has settled after it: the
   * burst is decided then (if nothing else decided it) and the gallery swaps its lead for its picks.
   */
  check: z.optional(z.literal("burst")),
});
export type MirrorJob = z.infer<typeof mirrorJob>;

/** A converted video to be made a Reel (the reel stage: passthrough, remux or transcode, and a cover). */
export const reelJob = z.object({ photoId });
export type ReelJob = z.infer<typeof reelJob>;

/** What to publish the photo as (see `PublishMedia` on the photo record). */
export const publishMedia: z.ZodMiniType<PublishMedia> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("image") }),
  z.object({
    kind: z.literal("reel"),
    videoKey: key,
    coverKey: z.optional(key),
    shareToFeed: z.boolean(),
  }),
  z.object({ kind: z.literal("story"), videoKey: z.optional(key) }),
  z.object({
    kind: z.literal("carousel"),
    photoIds: z.array(photoId).check(z.minLength(2), z.maxLength(10)),
    children: z.optional(z.array(z.string())),
    childrenAt: z.optional(z.string()),
  }),
]);

export const publishStep = z.enum(["create", "check", "publish", "permalink"]);
export type PublishStepName = z.infer<typeof publishStep>;

export const publishJob = z.object({
  photoId,
  step: publishStep,
  /** How many status checks came before this one (drives the growing delay). */
  checks: z._default(z.int().check(z.minimum(0)), 0),
  /** How many call-rate limits in a row deferred this step (drives its growing backoff). */
  throttled: z.optional(z.int().check(z.minimum(1))),
  /** With `create`: what to publish the photo as, recorded on the photo before the container is made. */
  media: z.optional(publishMedia),
});
export type PublishJob = z.infer<typeof publishJob>;

/** The job in a message body; a {@link BadMessageError} naming what is wrong otherwise. */
export function parseJob<T>(schema: z.ZodMiniType<T>, body: string, queue: string): T {
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
