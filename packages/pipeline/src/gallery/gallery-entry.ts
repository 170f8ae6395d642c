/**
 * Which photos a live gallery shows, and how: every converted photo with a web and a thumbnail
 * rendition, unless the owner took it out, or it is a frame of a burst that is not shown. A burst
 * shows its lead (the frame that opened it) from the moment it is converted, so guests see the
 * moment at once, then its picks once it is decided: the lead is swapped for the best frame at most
 * once per burst, and the other frames never appear (see docs/architecture.md).
 */
import type { GalleryEntry } from "@photo-relay/mirror";
import type { PhotoRecord } from "../photo/photo-record.ts";

export function shownInGallery(photo: PhotoRecord): boolean {
  if (photo.stages.convert.status !== "done" || photo.video || photo.galleryHidden) return false;
  if (!photo.renditions?.web || !photo.renditions.thumbnail) return false;
  const burst = photo.burst;
  return !burst || burst.role === "pick" || (burst.role === "open" && burst.lead);
}

const imageType = (contentType: string) => (contentType === "image/webp" ? "image/webp" : "image/jpeg");

/**
 * The photo as its gallery entry. It is ordered by capture time when that is a true instant (the
 * file recorded its UTC offset), else by arrival: most cameras write their wall clock without a
 * zone, and a wrong camera clock must not bury a new photo.
 */
export function galleryEntryOf(photo: PhotoRecord): GalleryEntry {
  const { web, thumbnail } = photo.renditions ?? {};
  if (!web || !thumbnail) throw new Error(`photo ${photo.id} has no web or thumbnail rendition`);
  const capture = photo.capture;
  return {
    id: photo.id,
    takenAt: capture?.hasOffset ? new Date(capture.epochMs).toISOString() : photo.createdAt,
    web: { width: web.width, height: web.height, type: imageType(web.contentType) },
    thumbnail: { width: thumbnail.width, height: thumbnail.height, type: imageType(thumbnail.contentType) },
    ...(photo.caption && { alt: photo.caption.slice(0, 1000) }),
  };
}
