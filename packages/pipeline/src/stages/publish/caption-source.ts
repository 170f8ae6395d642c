/**
 * Where a photo's caption comes from: the template and hashtags in the configuration, the photo
 * record (file name, capture date, camera, the IPTC/XMP caption convert read), and a sidecar text
 * the uploader stored as `sidecars/<photo id>.txt` (core's `sidecarKey`). Instagram's template
 * language and rules are `@photo-relay/instagram`'s.
 */
import { GetObjectCommand, NoSuchKey } from "@aws-sdk/client-s3";
import { type Logger, type PhotoId, sidecarKey } from "@photo-relay/core";
import { enforceCaptionRules, renderCaption } from "@photo-relay/instagram";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";

/** Sidecar texts larger than this are not captions (Instagram keeps 2,200 characters anyway). */
const MAX_SIDECAR_BYTES = 64 * 1024;

/**
 * The caption to publish the photo with, or `undefined` for none. Throws a `CaptionError` when it
 * breaks Instagram's rules and `instagram.captionPolicy` is `fail`.
 */
export async function captionFor(rt: Runtime, photo: PhotoRecord, log: Logger): Promise<string | undefined> {
  const { captionTemplate, hashtags, captionPolicy } = rt.config.instagram;
  const sidecar = /\{(caption|sidecar)\}/.test(captionTemplate) ? await readSidecar(rt, photo.id) : undefined;
  const text = renderCaption(captionTemplate, {
    caption: sidecar || photo.caption,
    sidecar,
    iptc: photo.caption,
    filename: photo.originalName?.split(/[\\/]/).pop(),
    date: (photo.captureTime ?? photo.createdAt).slice(0, 10),
    camera: photo.camera,
    hashtags,
  });
  if (!text) return undefined;
  const { caption, changes } = enforceCaptionRules(text, captionPolicy);
  if (changes.length) log.warn("caption trimmed to Instagram's rules", { changes });
  return caption;
}

async function readSidecar(rt: Runtime, id: PhotoId): Promise<string | undefined> {
  try {
    const out = await rt.clients.s3.send(
      new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: sidecarKey(id) }),
    );
    if ((out.ContentLength ?? 0) > MAX_SIDECAR_BYTES) return undefined;
    const text = (await out.Body?.transformToString("utf-8"))?.replace(/^\uFEFF/, "").trim();
    return text || undefined;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") return undefined;
    throw error;
  }
}
