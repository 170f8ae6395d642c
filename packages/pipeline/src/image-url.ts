/**
 * The URL Meta downloads the photo from (`image_url`): by default a short-lived presigned S3 URL of
 * the Instagram rendition, or — `instagram.imageSource: "mirror"` — the rendition's public URL on
 * the mirror, for setups where Meta should fetch from the own web host.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { PhotoRelayError, RetryableError } from "@photo-relay/core";
import type { PhotoRecord } from "./photo.ts";
import type { Runtime } from "./runtime.ts";

/** The photo has no URL Meta could fetch: a configuration or conversion problem, not worth retrying. */
export class ImageUrlError extends PhotoRelayError {
  constructor(message: string) {
    super("no_image_url", message);
    this.name = "ImageUrlError";
  }
}

/** `image_url` for the photo's Instagram rendition, per `instagram.imageSource`. */
export async function instagramImageUrl(rt: Runtime, photo: PhotoRecord): Promise<string> {
  const key = photo.renditions?.instagram?.key;
  if (!key) throw new ImageUrlError("the photo has no Instagram rendition");
  if (rt.config.instagram.imageSource === "mirror") return mirroredUrl(photo);
  return getSignedUrl(rt.clients.s3, new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }), {
    expiresIn: rt.config.s3.presignSeconds,
  });
}

/**
 * Whether `image_url` must wait for the mirror: convert hands the photo to mirror and publish at
 * once, so with `imageSource: "mirror"` the publish steps wait until the mirror stage has ended.
 */
export function awaitsMirror(rt: Runtime, photo: PhotoRecord): boolean {
  const { status } = photo.stages.mirror;
  return rt.config.instagram.imageSource === "mirror" && !["done", "skipped", "failed"].includes(status);
}

function mirroredUrl(photo: PhotoRecord): string {
  if (!["done", "skipped", "failed"].includes(photo.stages.mirror.status)) {
    throw new RetryableError("not_mirrored", "the Instagram rendition is not on the mirror yet");
  }
  const file = photo.stages.mirror.files?.find((f) => f.rendition === "instagram" && f.publicUrl);
  if (!file?.publicUrl) {
    throw new ImageUrlError(
      'instagram.imageSource is "mirror", but the Instagram rendition has no public URL on the mirror ' +
        '(add "instagram" to mirror.renditions and give the target a publicBaseUrl)',
    );
  }
  return file.publicUrl;
}
