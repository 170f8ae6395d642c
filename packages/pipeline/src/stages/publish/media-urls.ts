/**
 * The URLs Meta downloads from. `image_url`: by default a short-lived presigned S3 URL of the
 * Instagram rendition, or — `instagram.imageSource: "mirror"` — the rendition's public URL on the
 * mirror, for setups where Meta should fetch from the own web host (publishing then starts only
 * once mirror is done, see `jobs/photo-route.ts`). Videos are always presigned.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { ImageUrlError, InstagramRefusedError, NotReadyError } from "../../errors.ts";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";

/** `image_url` for the photo's Instagram rendition, per `instagram.imageSource`. */
export async function instagramImageUrl(rt: Runtime, photo: PhotoRecord): Promise<string> {
  // Convert records why a photo has no Instagram rendition; that reason, not "no URL", is the answer.
  if (photo.instagramRefusal) {
    throw new InstagramRefusedError(photo.instagramRefusal.code, photo.instagramRefusal.reason);
  }
  const key = photo.renditions?.instagram?.key;
  if (!key) throw new ImageUrlError("the photo has no Instagram rendition");
  return rt.config.instagram.imageSource === "mirror" ? mirroredUrl(photo) : presignedUrl(rt, key);
}

/** A GET URL of an object in the bucket, valid for `s3.presignSeconds`. */
export function presignedUrl(rt: Runtime, key: string): Promise<string> {
  return getSignedUrl(rt.clients.s3, new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }), {
    expiresIn: rt.config.s3.presignSeconds,
  });
}

function mirroredUrl(photo: PhotoRecord): string {
  // Only when a photo is approved by hand before its mirror finished: the step comes back.
  if (!["done", "skipped", "failed"].includes(photo.stages.mirror.status)) throw new NotReadyError("mirror");
  const file = photo.stages.mirror.files?.find((f) => f.rendition === "instagram" && f.publicUrl);
  if (!file?.publicUrl) {
    throw new ImageUrlError(
      'instagram.imageSource is "mirror", but the Instagram rendition has no public URL on the mirror ' +
        '(add "instagram" to mirror.renditions and give the target a publicBaseUrl)',
    );
  }
  return file.publicUrl;
}
