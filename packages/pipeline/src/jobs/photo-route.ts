/**
 * The route a photo takes, in one place. Convert sends the mirror job, and the publish job too
 * unless Meta is to download the photo from the mirror (`instagram.imageSource: "mirror"`): then
 * mirror sends it once the photo is there. A video goes to publish as a Reel of its original. A
 * photo Instagram's rules refused (`instagramRefusal`) is mirrored and never sent to publish.
 */
import type { Config } from "@photo-relay/core";
import type { PhotoRecord, PublishMedia } from "../photo/photo-record.ts";
import type { PublishJob } from "./job-schemas.ts";
import { type NextJob, toMirror, toPublish } from "./next-jobs.ts";

/** Whether publishing this photo waits for its mirrored URL. */
export const publishesFromMirror = (config: Config, photo: PhotoRecord): boolean =>
  config.instagram.imageSource === "mirror" && photo.video === undefined;

/** What a photo is published as unless asked otherwise: a video as a Reel of its original, else a feed image. */
export const defaultMediaOf = (photo: PhotoRecord): PublishMedia =>
  photo.video ? { kind: "reel", videoKey: photo.originalKey, shareToFeed: true } : { kind: "image" };

/** The first publish step for the photo; a video's carries the Reel it is published as. */
export function firstPublishJob(photo: PhotoRecord): PublishJob {
  const media = defaultMediaOf(photo);
  return { photoId: photo.id, step: "create", checks: 0, ...(media.kind !== "image" && { media }) };
}

/** The burst check arrives this long after the burst could have settled, for the clocks' sake. */
const BURST_CHECK_MARGIN_SECONDS = 2;

/** Whether a mirror target keeps a live gallery. */
export const hasGallery = (config: Config): boolean => config.mirror.targets.some((t) => t.gallery);

/**
 * What follows a conversion (sent again, harmlessly, when a converted photo is notified twice). A
 * frame of a burst also sends mirror a check for when the burst may have settled, when a gallery
 * must then swap the burst's lead for its picks (publishing waits for the decision by itself).
 */
export function jobsAfterConvert(config: Config, photo: PhotoRecord): NextJob[] {
  const mirror = toMirror({ photoId: photo.id });
  const check =
    photo.burst && hasGallery(config)
      ? [
          toMirror(
            { photoId: photo.id, check: "burst" },
            config.bursts.settleSeconds + BURST_CHECK_MARGIN_SECONDS,
          ),
        ]
      : [];
  const publish =
    photo.instagramRefusal || publishesFromMirror(config, photo) ? [] : [toPublish(firstPublishJob(photo))];
  return [mirror, ...check, ...publish];
}

/** What follows the mirror stage: publishing, when it waited for the mirrored URL. */
export function jobsAfterMirror(config: Config, photo: PhotoRecord): NextJob[] {
  if (photo.instagramRefusal || !publishesFromMirror(config, photo)) return [];
  return [toPublish(firstPublishJob(photo))];
}
