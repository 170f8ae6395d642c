/**
 * Photo identity and S3 keys. A photo's id is the SHA-256 of its original bytes, so the same photo
 * sent twice (the agent after a crash, two phones) is one photo, processed and posted once.
 */
import { createHash } from "node:crypto";

export type PhotoId = string;

const ID = /^[0-9a-f]{64}$/;

export const isPhotoId = (value: string): value is PhotoId => ID.test(value);

export function sha256Hex(data: Uint8Array): PhotoId {
  return createHash("sha256").update(data).digest("hex");
}

/** The prefix that S3 ObjectCreated notifications are filtered on. */
export const ORIGINALS_PREFIX = "originals/";

/** `originals/<id><ext>`, e.g. `originals/9f86…08.jpg`; `ext` includes its dot and is lower-cased. */
export function originalKey(id: PhotoId, ext: string): string {
  return `${ORIGINALS_PREFIX}${id}${ext.toLowerCase()}`;
}

/** The photo id an original's key names (uploaders name originals by their SHA-256), if it names one. */
export function photoIdOfKey(key: string): PhotoId | undefined {
  if (!key.startsWith(ORIGINALS_PREFIX)) return undefined;
  const name = key.slice(ORIGINALS_PREFIX.length).split(".")[0] ?? "";
  return isPhotoId(name) ? name : undefined;
}

export type RenditionName = "instagram" | "web" | "thumbnail";

const RENDITION_FILES: Record<RenditionName, string> = {
  instagram: "instagram.jpg",
  web: "web.jpg",
  thumbnail: "thumbnail.webp",
};

export function renditionKey(id: PhotoId, rendition: RenditionName): string {
  return `renditions/${id}/${RENDITION_FILES[rendition]}`;
}

/**
 * A video's Reel and its cover, beside the renditions (the same lifecycle and the same read rights
 * for publish). A video within the Reels spec is published from its original and has only a cover.
 */
export const reelKeys = (id: PhotoId): { videoKey: string; coverKey: string } => ({
  videoKey: `renditions/${id}/reel.mp4`,
  coverKey: `renditions/${id}/reel-cover.jpg`,
});

/**
 * `sidecars/<id>.txt`: the caption text the uploader found beside the photo (UTF-8). Keys are
 * content-derived, so the text is stored under the id of the photo it belongs to, before the
 * original, outside `originals/` so it triggers no conversion.
 */
export const sidecarKey = (id: PhotoId): string => `sidecars/${id}.txt`;
