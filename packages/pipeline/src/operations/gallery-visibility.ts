/**
 * The owner takes a photo out of the live galleries (holds it back, or is about to delete it), or
 * puts it back. The choice is on the record (`galleryHidden`), and a mirror job brings every
 * gallery in line with it; it is sent on every call, so repeating a call that failed halfway
 * finishes it. The photo stays everywhere else (the dashboard, the plain mirror, Instagram).
 */
import type { PhotoId } from "@photo-relay/core";
import { hasGallery } from "../jobs/photo-route.ts";
import type { PhotoRecord } from "../photo/photo-record.ts";
import type { Runtime } from "../runtime.ts";

export async function setGalleryHidden(rt: Runtime, id: PhotoId, hidden: boolean): Promise<PhotoRecord> {
  const photo = await rt.photos.update(id, (p) => {
    if (hidden) return p.galleryHidden ? undefined : { ...p, galleryHidden: { at: rt.now().toISOString() } };
    if (!p.galleryHidden) return undefined;
    const { galleryHidden: _, ...shown } = p;
    return shown;
  });
  if (hasGallery(rt.config)) await rt.queues.mirror({ photoId: id });
  return photo;
}

/** Out of the live galleries: for the owner's hold, and before a photo is deleted. */
export const removeFromGallery = (rt: Runtime, id: PhotoId): Promise<PhotoRecord> =>
  setGalleryHidden(rt, id, true);

/** Back in the live galleries (when its burst shows it). */
export const returnToGallery = (rt: Runtime, id: PhotoId): Promise<PhotoRecord> =>
  setGalleryHidden(rt, id, false);
