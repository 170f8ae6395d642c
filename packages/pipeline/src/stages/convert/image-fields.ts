/**
 * An image original → its renditions in S3 and the photo's fields: metadata, the capture facts and
 * frame analysis a burst decision needs, and imaging's verdict on the Instagram rendition. A photo
 * Instagram's rules refuse still gets its web and thumbnail renditions; its publish stage fails
 * with the rule's code and reason (see {@link withVerdict}), so the journey says why it was not
 * posted and publish never gets a job for it.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { type PhotoId, type RenditionName, renditionKey } from "@photo-relay/core";
import type { ConvertResult, RenderedImage } from "@photo-relay/imaging";
import type { PhotoRecord, RenditionRecord } from "../../photo/photo-record.ts";
import type { Transition } from "../../photo/photo-store.ts";
import { isFinished, setStage } from "../../photo/stage-transitions.ts";
import type { Runtime } from "../../runtime.ts";

/** Puts the renditions into S3 and returns the fields convert records on the photo. */
export async function imageFields(
  rt: Runtime,
  id: PhotoId,
  result: ConvertResult,
): Promise<Partial<PhotoRecord>> {
  const rendered = Object.entries(result.renditions) as [RenditionName, RenderedImage][];
  // All at once: each is its own object, and the next stages start only once all are in.
  const records = await Promise.all(
    rendered.map(async ([name, image]): Promise<[RenditionName, RenditionRecord]> => {
      const key = renditionKey(id, name);
      await rt.clients.s3.send(
        new PutObjectCommand({
          Bucket: rt.config.s3.bucket,
          Key: key,
          Body: image.data,
          ContentType: image.contentType,
        }),
      );
      const { width, height, contentType } = image;
      return [name, { key, width, height, bytes: image.data.length, contentType }];
    }),
  );
  const renditions: Partial<Record<RenditionName, RenditionRecord>> = Object.fromEntries(records);
  const m = result.metadata;
  const verdict = result.instagram;
  return {
    renditions,
    format: m.format,
    width: m.width,
    height: m.height,
    ...(m.captureTime && { captureTime: m.captureTime }),
    ...(m.capture && { capture: m.capture }),
    ...(m.camera && { camera: m.camera }),
    ...(m.device && Object.keys(m.device).length > 0 && { device: m.device }),
    ...(m.lens && { lens: m.lens }),
    ...(m.caption && { caption: m.caption }),
    analysis: result.analysis,
    ...(verdict.status === "refused" && { instagramRefusal: { code: verdict.code, reason: verdict.reason } }),
  };
}

/**
 * Convert is done with `fields`; when they carry Instagram's refusal, the publish stage fails
 * with it too (a photo already posted keeps its post). Not retryable: the photo itself breaks
 * the rule, so trying again cannot help, and `POST /photos/:id/retry` refuses it.
 */
export function withVerdict(fields: Partial<PhotoRecord>, now: Date): Transition {
  return (photo) => {
    const converted = setStage("convert", { status: "done" }, fields, now)(photo);
    const refusal = fields.instagramRefusal;
    if (!converted || !refusal || isFinished(converted.stages.publish)) return converted;
    const message = `Instagram rendition refused: ${refusal.reason}`;
    const lastError = { code: refusal.code, message, at: now.toISOString() };
    return setStage("publish", { status: "failed", lastError }, {}, now)(converted);
  };
}
