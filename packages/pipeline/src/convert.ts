/**
 * convert: an original landed in S3 → renditions in S3, the photo recorded, mirror and publish
 * jobs sent. Idempotent: a repeated notification for a converted photo only re-sends the jobs,
 * which the later stages ignore when their work is done.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from "@aws-sdk/client-s3";
import {
  forPhoto,
  isRetryable,
  ORIGINALS_PREFIX,
  type RenditionName,
  renditionKey,
  sha256Hex,
  ValidationError,
} from "@photo-relay/core";
import { convertPhoto } from "@photo-relay/imaging";
import type { CreatedObject } from "./messages.ts";
import { newPhoto, type RenditionRecord } from "./photo.ts";
import { publishVideo } from "./publish-media.ts";
import type { Runtime } from "./runtime.ts";
import { failStage, setStage, startStage } from "./stage.ts";

export async function convertObject(rt: Runtime, object: CreatedObject): Promise<void> {
  if (!object.key.startsWith(ORIGINALS_PREFIX) || object.bucket !== rt.config.s3.bucket) {
    rt.logger.warn("ignoring an object outside originals/", { bucket: object.bucket, key: object.key });
    return;
  }
  const { s3 } = rt.clients;
  const Bucket = object.bucket;
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: object.key })).catch((error: unknown) => {
    if (error instanceof NoSuchKey) return undefined; // deleted since the notification: nothing to convert
    throw error;
  });
  if (!got) {
    rt.logger.warn("original vanished before conversion", { key: object.key });
    return;
  }
  const bytes = Buffer.from(
    await (got.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  const id = sha256Hex(bytes);
  const log = forPhoto(rt.logger, id);
  const meta = got.Metadata ?? {};

  const existing = await rt.photos.ensure(
    newPhoto(
      {
        id,
        originalKey: object.key,
        bytes: bytes.length,
        ...(meta["original-name"] && { originalName: decodeMetadata(meta["original-name"]) }),
        source: meta.source ?? "upload",
      },
      rt.now(),
    ),
  );
  if (existing.stages.convert.status === "done") {
    log.info("already converted; re-sending downstream jobs", { key: object.key });
    await sendDownstream(rt, id);
    return;
  }

  await rt.photos.update(id, startStage("convert", rt.now()));
  log.info("converting", { key: object.key, bytes: bytes.length });
  let result: Awaited<ReturnType<typeof convertPhoto>>;
  try {
    result = await convertPhoto(bytes, rt.config.convert);
  } catch (error) {
    await rt.photos.update(id, failStage("convert", error, rt.now()));
    log.error("convert failed", { error });
    if (!isRetryable(error)) return; // recorded; redelivery cannot help
    throw error;
  }
  if (result.kind === "video") {
    if (!result.reels.eligible) {
      const reason = `video breaks Instagram's Reels rules: ${result.reels.violations.join("; ")}`;
      await rt.photos.update(
        id,
        failStage("convert", new ValidationError("video_not_reels_ready", reason), rt.now()),
      );
      log.warn("video refused", { reason });
      return;
    }
    // Within the Reels spec as it is: the original itself is the Reel (Meta downloads it).
    const { probe } = result;
    await rt.photos.update(
      id,
      setStage(
        "convert",
        { status: "done" },
        { format: probe.container, width: probe.width, height: probe.height },
        rt.now(),
      ),
    );
    await publishVideo(rt, id, { videoKey: object.key });
    await rt.queues.mirror({ photoId: id });
    log.info("video ready for Reels", { durationSeconds: probe.durationSeconds });
    return;
  }

  const renditions: Partial<Record<RenditionName, RenditionRecord>> = {};
  for (const [name, image] of Object.entries(result.renditions) as [
    RenditionName,
    (typeof result.renditions)["web"],
  ][]) {
    const key = renditionKey(id, name);
    await s3.send(
      new PutObjectCommand({ Bucket, Key: key, Body: image.data, ContentType: image.contentType }),
    );
    renditions[name] = {
      key,
      width: image.width,
      height: image.height,
      bytes: image.data.length,
      contentType: image.contentType,
    };
  }
  const m = result.metadata;
  await rt.photos.update(
    id,
    setStage(
      "convert",
      { status: "done" },
      {
        renditions,
        format: m.format,
        width: m.width,
        height: m.height,
        ...(m.captureTime && { captureTime: m.captureTime }),
        ...(m.camera && { camera: m.camera }),
        ...(m.lens && { lens: m.lens }),
        ...(m.caption && { caption: m.caption }),
      },
      rt.now(),
    ),
  );
  log.info("converted", { renditions: Object.keys(renditions), format: m.format });
  await sendDownstream(rt, id);
}

async function sendDownstream(rt: Runtime, photoId: string): Promise<void> {
  await rt.queues.mirror({ photoId });
  await rt.queues.publish({ photoId, step: "create", checks: 0 });
}

/** S3 metadata is ASCII: uploaders percent-encode names such as `Müller.jpg`. */
function decodeMetadata(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
