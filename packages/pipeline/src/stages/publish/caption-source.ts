/**
 * Where a photo's caption comes from: the template and hashtags in the configuration, the photo
 * record (file name, capture date, camera, the IPTC/XMP caption convert read), and a sidecar text
 * the uploader stored as `sidecars/<photo id>.txt` (core's `sidecarKey`) — unless the owner wrote
 * the photo's caption themselves. Instagram's template language and rules are
 * `@photo-relay/instagram`'s.
 */
import { GetObjectCommand, NoSuchKey } from "@aws-sdk/client-s3";
import { type Logger, type PhotoId, sidecarKey } from "@photo-relay/core";
import { enforceCaptionRules, renderCaption } from "@photo-relay/instagram";
import type { PhotoRecord } from "../../photo/photo-record.ts";
import type { Runtime } from "../../runtime.ts";

/** Sidecar texts larger than this are not captions (Instagram keeps 2,200 characters anyway). */
const MAX_SIDECAR_BYTES = 64 * 1024;

/**
 * The caption to publish the photo with, or `undefined` for none: the owner's own
 * (`captionOverride`, an empty one meaning none) or else the template's, held to Instagram's
 * rules either way. Throws a `CaptionError` when it breaks them and `instagram.captionPolicy` is `fail`.
 */
export async function captionFor(rt: Runtime, photo: PhotoRecord, log: Logger): Promise<string | undefined> {
  const text =
    photo.captionOverride !== undefined ? photo.captionOverride.trim() : await templateText(rt, photo);
  if (!text) return undefined;
  const { caption, changes } = enforceCaptionRules(text, rt.config.instagram.captionPolicy);
  if (changes.length) log.warn("caption trimmed to Instagram's rules", { changes });
  return caption;
}

/** What the photo page shows beside the caption editor. */
export interface CaptionPreview {
  /** The template's caption for this photo as it would be posted now (after Instagram's rules), or null for none. */
  template: string | null;
  /** The caption that would be posted now: the owner's when set, else the template's. */
  posted: string | null;
  source: "owner" | "template";
  /** The rules the posted caption breaks: trimmed to fit (`truncate`), or refused (`fail`). */
  broken: string[];
  policy: "truncate" | "fail";
}

/** The caption the publish stage would post now, and the template's, for the owner to compare. */
export async function captionPreview(rt: Runtime, photo: PhotoRecord): Promise<CaptionPreview> {
  const policy = rt.config.instagram.captionPolicy;
  const held = (text: string | undefined) =>
    text ? enforceCaptionRules(text, "truncate") : { caption: null, changes: [] as string[] };
  const template = held(await templateText(rt, photo));
  const own = photo.captionOverride !== undefined ? held(photo.captionOverride.trim()) : undefined;
  const posted = own ?? template;
  return {
    template: template.caption,
    posted: policy === "fail" && posted.changes.length ? null : posted.caption,
    source: own ? "owner" : "template",
    broken: posted.changes,
    policy,
  };
}

/** The template filled from the record and the sidecar text, before Instagram's rules. */
async function templateText(rt: Runtime, photo: PhotoRecord): Promise<string> {
  const { captionTemplate, hashtags } = rt.config.instagram;
  const sidecar = /\{(caption|sidecar)\}/.test(captionTemplate) ? await readSidecar(rt, photo.id) : undefined;
  return renderCaption(captionTemplate, {
    caption: sidecar || photo.caption,
    sidecar,
    iptc: photo.caption,
    filename: photo.originalName?.split(/[\\/]/).pop(),
    date: (photo.captureTime ?? photo.createdAt).slice(0, 10),
    camera: photo.camera,
    hashtags,
  });
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
