/**
 * convert: an original landed in S3 → renditions in S3, the photo recorded, and the next jobs
 * handed on (see `jobs/photo-route.ts`). A video is hashed and its index probed here; its
 * conversion goes on in the reel stage (`stages/reel/`), which makes it a Reel and ends the
 * stage. A photo whose burst policy groups it joins its burst (see
 * `bursts/`). Idempotent: a repeated notification for a converted photo only hands the jobs on
 * again, which the later stages ignore when their work is done.
 *
 * The convert queue also carries S3's notifications of the agents' prefix: a rejection report
 * becomes a `rejected` record (`stages/intake/`). And an original whose bytes do not hash to the id
 * its key claims is quarantined (`quarantine.ts`), never converted.
 */
import { ORIGINALS_PREFIX, photoIdOfKey } from "@photo-relay/core";
import { convertPhoto, type VideoProbe } from "@photo-relay/imaging";
import { joinBurst } from "../../bursts/burst-join.ts";
import { finished, type StageResult } from "../../jobs/next-jobs.ts";
import { jobsAfterConvert } from "../../jobs/photo-route.ts";
import { type CreatedObject, objectsCreated } from "../../jobs/s3-event.ts";
import { newPhoto, type PhotoRecord } from "../../photo/photo-record.ts";
import { setStage, startStage } from "../../photo/stage-transitions.ts";
import type { Runtime } from "../../runtime.ts";
import { runtimeOnly, type Stage, type StepContext } from "../../stage-runner.ts";
import { isAgentObject, linkToRejection, recordRejection } from "../intake/rejection-intake.ts";
import { imageFields, withVerdict } from "./image-fields.ts";
import { discardOriginal, type Original, originalName, readOriginal } from "./original-reader.ts";
import { quarantineUpload } from "./quarantine.ts";
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
  if (object.bucket !== rt.config.s3.bucket) {
    step.log.warn("ignoring an object of another bucket", { bucket: object.bucket, key: object.key });
    return finished();
  }
  if (isAgentObject(object.key)) return recordRejection(rt, object, step);
  if (!object.key.startsWith(ORIGINALS_PREFIX)) {
    step.log.warn("ignoring an object outside originals/", { key: object.key });
    return finished();
  }
  const original = await readOriginal(rt.clients.s3, object.bucket, object.key);
  if (!original) {
    step.log.warn("original vanished before conversion", { key: object.key });
    return finished();
  }
  try {
    const claimed = photoIdOfKey(object.key);
    if (claimed !== undefined && claimed !== original.id) {
      await quarantineUpload(rt, object.key, original, claimed, step);
      return finished();
    }
    return await convertOriginal(rt, object, original, step);
  } finally {
    await discardOriginal(original);
  }
}

async function convertOriginal(
  rt: Runtime,
  object: CreatedObject,
  original: Original,
  step: StepContext,
): Promise<StageResult> {
  step.about(original.id);
  // The renditions are made while the photo is recorded (a write and a read-write to the
  // table): a repeated notification of a converted photo then costs a conversion for nothing,
  // which is rare, and every first conversion is that much sooner.
  const rendering = original.kind === "image" ? convertPhoto(original.data, rt.config.convert) : undefined;
  rendering?.catch(() => undefined); // its failure is taken below, once the record can hold it
  const fresh = recordFor(original, object.key, rt.now());
  const existing = await rt.photos.ensure(fresh);
  if (existing === fresh) await linkToRejection(rt, original.id);
  if (existing.stages.convert.status === "done") {
    step.log.info("already converted; handing the jobs on again", { key: object.key });
    return finished(...jobsAfterConvert(rt.config, existing));
  }
  await rt.photos.update(original.id, startStage("convert", rt.now()));
  step.log.info("converting", { key: object.key, bytes: original.bytes });
  const converted = await convertedFields(rt, original, rendering);
  const arrivedAt = Date.parse(object.eventTime ?? existing.createdAt);
  // A photo Instagram refuses is never posted, so it does not compete for its burst's pick.
  const burst = converted.instagramRefusal
    ? undefined
    : await joinBurst(rt, { ...existing, ...converted }, arrivedAt);
  const fields = { ...converted, ...(burst && { burst }) };
  // A video stays `running` until the reel stage has made its Reel.
  const photo = await rt.photos.update(
    original.id,
    converted.video ? setStage("convert", {}, fields, rt.now()) : withVerdict(fields, rt.now()),
  );
  step.log.info(converted.video ? "probed; the reel stage makes it a Reel" : "converted", {
    format: photo.format,
    renditions: Object.keys(photo.renditions ?? {}),
    ...(photo.instagramRefusal && { instagram: `refused: ${photo.instagramRefusal.code}` }),
  });
  return finished(...jobsAfterConvert(rt.config, photo));
}

/** The photo's fields: a video's probe, or an image's renditions (put into S3) and metadata. */
async function convertedFields(
  rt: Runtime,
  original: Original,
  rendering: ReturnType<typeof convertPhoto> | undefined,
): Promise<Partial<PhotoRecord>> {
  if (original.kind === "video") return videoFields(await probeVideoFile(original.path, original.container));
  const result = await (rendering ?? convertPhoto(original.data, rt.config.convert));
  return result.kind === "video" ? videoFields(result.probe) : imageFields(rt, original.id, result);
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
  const name = originalName(original);
  return newPhoto(
    {
      id: original.id,
      originalKey: key,
      bytes: original.bytes,
      ...(name && { originalName: name }),
      source: original.metadata.source ?? "upload",
    },
    now,
  );
}
