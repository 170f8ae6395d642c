/**
 * mirror: copies the configured renditions of a converted photo to every mirror target (the
 * user's web host), recording the public URL of each file. Idempotent: a finished stage is left alone.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { forPhoto, isRetryable, type PhotoId, RetryableError } from "@photo-relay/core";
import type { MirroredFile } from "./photo.ts";
import type { Runtime } from "./runtime.ts";
import { failStage, isFinished, setStage, startStage } from "./stage.ts";

export async function mirrorPhoto(rt: Runtime, photoId: PhotoId): Promise<void> {
  const log = forPhoto(rt.logger, photoId);
  const photo = await rt.photos.require(photoId);
  if (isFinished(photo.stages.mirror)) return;
  if (photo.stages.convert.status !== "done") {
    throw new RetryableError("not_converted", "the photo is not converted yet");
  }
  const { targets, renditions } = rt.config.mirror;
  if (targets.length === 0) {
    await rt.photos.update(photoId, setStage("mirror", { status: "skipped" }, {}, rt.now()));
    return;
  }

  await rt.photos.update(photoId, startStage("mirror", rt.now()));
  const files: MirroredFile[] = [];
  try {
    const date = new Date(photo.captureTime ?? photo.createdAt);
    for (const target of targets) {
      const session = rt.mirrorSessions.open(target);
      try {
        for (const rendition of renditions) {
          const key = rendition === "original" ? photo.originalKey : photo.renditions?.[rendition]?.key;
          if (!key) continue;
          const data = await readObject(rt, key);
          const ext = key.slice(key.lastIndexOf("."));
          const put = await session.put({
            data,
            name: `${photoId}-${rendition}${ext}`,
            date,
            id: photoId,
            rendition,
          });
          files.push({
            rendition,
            target: target.name,
            transport: put.transport,
            remotePath: put.remotePath,
            ...(put.publicUrl && { publicUrl: put.publicUrl }),
          });
        }
      } finally {
        await rt.mirrorSessions.release(session);
      }
    }
  } catch (error) {
    await rt.photos.update(photoId, failStage("mirror", error, rt.now()));
    log.error("mirror failed", { error });
    if (isRetryable(error)) throw error; // the queue redelivers, then dead-letters
    return;
  }
  await rt.photos.update(photoId, setStage("mirror", { status: "done", files }, {}, rt.now()));
  log.info("mirrored", { files: files.map((f) => f.publicUrl ?? f.remotePath) });
}

async function readObject(rt: Runtime, key: string): Promise<Buffer> {
  const out = await rt.clients.s3.send(new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }));
  return Buffer.from(
    await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
}
