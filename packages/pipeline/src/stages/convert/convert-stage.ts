/**
 * convert: an original landed in S3 → renditions in S3, the photo recorded, and the next jobs
 * handed on (see `jobs/photo-route.ts`). A video is hashed and its index probed here; its
 * conversion goes on in the reel stage (`stages/reel/`), which makes it a Reel and ends the
 * stage. A photo whose burst policy groups it joins its burst (see
 * `bursts/`). Idempotent: a repeated notification for a converted photo only hands the jobs on
 * again, which the later stages ignore when their work is done.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import {
  ORIGINALS_PREFIX,
  type PhotoId,
  photoIdOfKey,
  type RenditionName,
  renditionKey,
} from "@photo-relay/core";
import { convertPhoto, type VideoProbe } from "@photo-relay/imaging";
import { joinBurst } from "../../bursts/burst-join.ts";
import { finished, type StageResult } from "../../jobs/next-jobs.ts";
import { jobsAfterConvert } from "../../jobs/photo-route.ts";
import { type CreatedObject, objectsCreated } from "../../jobs/s3-event.ts";
import { newPhoto, type PhotoRecord, type RenditionRecord } from "../../photo/photo-record.ts";
import { setStage, startStage } from "../../photo/stage-transitions.ts";
import type { Runtime } from "../../runtime.ts";
import { runtimeOnly, type Stage, type StepContext } from "../../stage-runner.ts";
import { discardOriginal, type Original, readOriginal } from "./original-reader.ts";
import { probeVideoFile } from "./video-header.ts";

export const convertStage: Stage<CreatedObject> = {
  name: "convert",
  jobsOf: objectsCreated,
  photoOf: (object) => photoIdOfKey(object.key),
  openBatch: runtimeOnly,
  run: convertObject,
};

export async function convertObject(
  rt: Runtime,
  object: CreatedObject,
  step: StepContext,
): Promise<StageResult> {
  if (!object.key.startsWith(ORIGINALS_PREFIX) || object.bucket !== rt.config.s3.bucket) {
    step.log.warn("ignoring an object outside originals/", { bucket: object.bucket, key: object.key });
    return finished();
  }
  const original = await readOriginal(rt.clients.s3, object.bucket, object.key);
  if (!original) {
    step.log.warn("original vanished before conversion", { key: object.key });
    return finished();
  }
  try {
    step.about(original.id);
    // The renditions are made while the photo is recorded (a write and a read-write to the
    // table): a repeated notification of a converted photo then costs a conversion for nothing,
    // which is rare, and every first conversion is that much sooner.
    const rendering = original.kind === "image" ? convertPhoto(original.data, rt.config.convert) : undefined;
    rendering?.catch(() => undefined); // its failure is taken below, once the record can hold it
    const existing = await rt.photos.ensure(recordFor(original, object.key, rt.now()));
    if (existing.stages.convert.status === "done") {
      step.log.info("already converted; handing the jobs on again", { key: object.key });
      return finished(...jobsAfterConvert(rt.config, existing));
    }
    await rt.photos.update(original.id, startStage("convert", rt.now()));
    step.log.info("converting", { key: object.key, bytes: original.bytes });
    const converted =
      original.kind === "video"
        ? videoFields(await probeVideoFile(original.path, original.container))
        : await storeRenditions(
            rt,
            original.id,
            await (rendering ?? convertPhoto(original.data, rt.config.convert)),
          );
    const arrivedAt = Date.parse(object.eventTime ?? existing.createdAt);
    const burst = await joinBurst(rt, { ...existing, ...converted }, arrivedAt);
    // A video stays `running` until the reel stage has made its Reel.
    const status = converted.video ? {} : { status: "done" as const };
    const photo = await rt.photos.update(
      original.id,
      setStage("convert", status, { ...converted, ...(burst && { burst }) }, rt.now()),
    );
    step.log.info(converted.video ? "probed; the reel stage makes it a Reel" : "converted", {
      format: photo.format,
      renditions: Object.keys(photo.renditions ?? {}),
    });
    return finished(...jobsAfterConvert(rt.config, photo));
  } finally {
    await discardOriginal(original);
  }
}

/** The photo's fields from its renditions (put into S3 here) and metadata. */
async function storeRenditions(
  rt: Runtime,
  id: PhotoId,
  result: Awaited<ReturnType<typeof convertPhoto>>,
): Promise<Partial<PhotoRecord>> {
  if (result.kind === "video") return videoFields(result.probe);
  const rendered = Object.entries(result.renditions) as [RenditionName, (typeof result.renditions)["web"]][];
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
  return {
    renditions,
    format: m.format,
    width: m.width,
    height: m.height,
    ...(m.captureTime && { captureTime: m.captureTime }),
    ...(m.camera && { camera: m.camera }),
    ...(m.lens && { lens: m.lens }),
    ...(m.caption && { caption: m.caption }),
    ...(m.capture && { capture: m.capture }),
    ...(m.device && { device: m.device }),
    analysis: result.analysis,
  };
}

/** A video as its index describes it; whether it is a Reel as it is, the reel stage decides. */
function videoFields(probe: VideoProbe): Partial<PhotoRecord> {
  return {
    format: probe.container,
    width: probe.width,
    height: probe.height,
    video: { durationSeconds: probe.durationSeconds },
  };
}

function recordFor(original: Original, key: string, now: Date): PhotoRecord {
  const name = original.metadata["original-name"];
  return newPhoto(
    {
      id: original.id,
      originalKey: key,
      bytes: original.bytes,
      ...(name && { originalName: decodeMetadata(name) }),
      source: original.metadata.source ?? "upload",
    },
    now,
  );
}

/** S3 metadata is ASCII: uploaders percent-encode names such as `Müller.jpg`. */
function decodeMetadata(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
