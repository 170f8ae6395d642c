/**
 * mirror: copies the configured renditions of a converted photo to every mirror target (the
 * user's web host), recording the public URL of each file, brings the targets' live galleries up
 * to date (`batch-galleries.ts`), then hands publish its job when Meta is to download the photo
 * from there. Each rendition is read from S3 once for all targets. Idempotent: a finished stage
 * only updates the galleries and hands its jobs on again.
 */
import { NotReadyError } from "../../errors.ts";
import { type MirrorJob, mirrorJob, parseJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult } from "../../jobs/next-jobs.ts";
import { jobsAfterMirror } from "../../jobs/photo-route.ts";
import type { MirroredFile, PhotoRecord } from "../../photo/photo-record.ts";
import { isFinished, setStage, startStage } from "../../photo/stage-transitions.ts";
import type { Runtime } from "../../runtime.ts";
import { mirrorRecordBudgetSeconds } from "../../settings.ts";
import type { Stage, StepContext } from "../../stage-runner.ts";
import { type MirrorRuntime, openMirrorBatch } from "./mirror-sessions.ts";
import { readObject } from "./s3-object.ts";

export const mirrorStage: Stage<MirrorJob, Runtime, MirrorRuntime> = {
  name: "mirror",
  jobsOf: (body) => [parseJob(mirrorJob, body, "mirror")],
  photoOf: (job) => job.photoId,
  openBatch: openMirrorBatch,
  run: mirrorPhoto,
  // The records share connections, so they run one after another, each only with time to finish.
  sequential: { recordBudgetMs: (rt) => mirrorRecordBudgetSeconds(rt.config.mirror.targets) * 1000 },
};

export async function mirrorPhoto(
  rt: MirrorRuntime,
  job: MirrorJob,
  step: StepContext,
): Promise<StageResult> {
  const photo = await rt.photos.require(job.photoId);
  const done = isFinished(photo.stages.mirror) ? photo : await copyPhoto(rt, photo, step);
  await rt.galleries.update(job);
  return finished(...jobsAfterMirror(rt.config, done));
}

async function copyPhoto(rt: MirrorRuntime, photo: PhotoRecord, step: StepContext): Promise<PhotoRecord> {
  if (photo.stages.convert.status !== "done") throw new NotReadyError("convert");
  if (rt.config.mirror.targets.length === 0) {
    return rt.photos.update(photo.id, setStage("mirror", { status: "skipped" }, {}, rt.now()));
  }
  await rt.photos.update(photo.id, startStage("mirror", rt.now()));
  const files = await copyRenditions(rt, photo);
  const done = await rt.photos.update(photo.id, setStage("mirror", { status: "done", files }, {}, rt.now()));
  step.log.info("mirrored", { files: files.map((f) => f.publicUrl ?? f.remotePath) });
  return done;
}

async function copyRenditions(rt: MirrorRuntime, photo: PhotoRecord): Promise<MirroredFile[]> {
  const { targets, renditions } = rt.config.mirror;
  const date = new Date(photo.captureTime ?? photo.createdAt);
  const files: MirroredFile[] = [];
  for (const rendition of renditions) {
    const key = rendition === "original" ? photo.originalKey : photo.renditions?.[rendition]?.key;
    if (!key) continue;
    const data = await readObject(rt, key);
    const name = `${photo.id}-${rendition}${key.slice(key.lastIndexOf("."))}`;
    for (const target of targets) {
      const put = await rt.sessions.open(target).put({ data, name, date, id: photo.id, rendition });
      files.push({
        rendition,
        target: target.name,
        transport: put.transport,
        remotePath: put.remotePath,
        ...(put.publicUrl && { publicUrl: put.publicUrl }),
      });
    }
  }
  return files;
}
