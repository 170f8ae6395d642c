/**
 * The route a photo takes, in one place. Convert sends the mirror job, and the publish job too
 * unless Meta is to download the photo from the mirror (`instagram.imageSource: "mirror"`): then
 * mirror sends it once the photo is there. A video goes to the reel stage first, which hands the
 * same jobs on once its Reel is made; it is published as that Reel, with its cover. A photo
 * Instagram's rules refused (`instagramRefusal`) is mirrored and never sent to publish.
 */
import type { Config } from "@photo-relay/core";
import type { PhotoRecord, PublishMedia } from "../photo/photo-record.ts";
import type { PublishJob } from "./job-schemas.ts";
import { type NextJob, toMirror, toPublish, toReel } from "./next-jobs.ts";

/** Whether publishing this photo waits for its mirrored URL. */
export const publishesFromMirror = (config: Config, photo: PhotoRecord): boolean =>
  config.instagram.imageSource === "mirror" && photo.video === undefined;

/** What a photo is published as unless asked otherwise: a video as its Reel (with its cover), else a feed image. */
export function defaultMediaOf(photo: PhotoRecord): PublishMedia {
  if (!photo.video) return { kind: "image" };
  const reel = photo.video.reel;
  return reel
    ? { kind: "reel", videoKey: reel.videoKey, coverKey: reel.coverKey, shareToFeed: true }
    : { kind: "reel", videoKey: photo.originalKey, shareToFeed: true };
}

/** A converted video whose Reel is still to be made: the reel stage's job. */
export const needsReel = (photo: PhotoRecord): boolean =>
  photo.video !== undefined && photo.video.reel === undefined;

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
 * What follows a conversion (sent again, harmlessly, when a converted photo is notified twice): for
 * a video, the reel stage, which calls this again once the Reel is made. A
 * frame of a burst also sends mirror a check for when the burst may have settled, when a gallery
 * must then swap the burst's lead for its picks (publishing waits for the decision by itself).
 */
export function jobsAfterConvert(config: Config, photo: PhotoRecord): NextJob[] {
  if (needsReel(photo)) return [toReel({ photoId: photo.id })];
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
