/**
 * reel: a converted video → its Reel and cover in S3, recorded on the photo, then the jobs that
 * follow a conversion (mirror, and publish with the Reel and its cover). `@photo-relay/video`
 * decides how: a video within the Reels spec passes through (the original is the Reel, only a
 * cover is made), one whose container alone is wrong is remuxed, any other is transcoded. The
 * deadline is the invocation's time left, so a video that could not finish is refused within its
 * first seconds, with the figures, instead of being cut off by the function's timeout.
 *
 * A video is converted once its Reel is made, so this stage records on the photo's `convert`
 * stage (its failures too, through the stage runner); it only reads a queue of its own. Idempotent:
 * a redelivered job for a video whose Reel is recorded hands the jobs on again.
 */
import { reelKeys } from "@photo-relay/core";
import { type PreparedReel, prepareReel } from "@photo-relay/video";
import { parseJob, type ReelJob, reelJob } from "../../jobs/job-schemas.ts";
import { finished, type StageResult } from "../../jobs/next-jobs.ts";
import { jobsAfterConvert } from "../../jobs/photo-route.ts";
import type { PhotoRecord, ReelRecord } from "../../photo/photo-record.ts";
import { setStage, startStage } from "../../photo/stage-transitions.ts";
import type { Runtime } from "../../runtime.ts";
import { STAGE_SETTINGS } from "../../settings.ts";
import { runtimeOnly, type Stage, type StepContext } from "../../stage-runner.ts";

/** Kept after the Reel for the record, the next jobs and the runner: never cut off by the timeout. */
const AFTER_REEL_MS = 20_000;
/** Lambda's /tmp holds a little besides the Reel's folder. */
const TMP_MARGIN_BYTES = 256 * 1024 * 1024;
/** A long transcode says how far it is at most this often. */
const PROGRESS_LOG_MS = 60_000;

export const reelStage: Stage<ReelJob> = {
  name: "convert",
  queue: "reel",
  jobsOf: (body) => [parseJob(reelJob, body, "reel")],
  photoOf: (job) => job.photoId,
  openBatch: runtimeOnly,
  run: makePhotoReel,
};

export async function makePhotoReel(rt: Runtime, job: ReelJob, step: StepContext): Promise<StageResult> {
  const photo = await rt.photos.require(job.photoId);
  const { video } = photo;
  if (!video) {
    step.log.warn("a reel job for a photo that is not a video; nothing to do");
    return finished();
  }
  if (video.reel) {
    step.log.info("the Reel is made already; handing the jobs on again");
    return finished(...jobsAfterConvert(rt.config, photo));
  }
  // Convert left the stage running; a retry after a failure counts as one more attempt.
  if (photo.stages.convert.status !== "running")
    await rt.photos.update(photo.id, startStage("convert", rt.now()));
  const { bucket } = rt.config.s3;
  const timeoutMs = STAGE_SETTINGS.reel.timeoutSeconds * 1000;
  const reel = await prepareReel({
    s3: rt.clients.s3,
    input: { bucket, key: photo.originalKey },
    output: { bucket, ...reelKeys(photo.id) },
    deadlineMs: Math.min(step.remainingMs(), timeoutMs) - AFTER_REEL_MS,
    tmpBudgetBytes: STAGE_SETTINGS.reel.ephemeralStorageMb * 1024 * 1024 - TMP_MARGIN_BYTES,
    onProgress: progressLog(step),
  });
  const record = reelRecord(reel);
  const done = await rt.photos.update(photo.id, (p: PhotoRecord) =>
    setStage("convert", { status: "done" }, { video: { ...video, ...p.video, reel: record } }, rt.now())(p),
  );
  step.log.info("made the Reel", {
    kind: record.kind,
    reasons: record.reasons,
    bytes: record.bytes,
    ...(record.speed && { speed: record.speed }),
  });
  return finished(...jobsAfterConvert(rt.config, done));
}

function reelRecord(reel: PreparedReel): ReelRecord {
  const { probe } = reel;
  return {
    kind: reel.kind,
    videoKey: reel.video.key,
    coverKey: reel.cover.key,
    bytes: reel.video.bytes,
    reasons: reel.plan.reasons,
    probe: {
      container: probe.container,
      videoCodec: probe.videoCodec,
      width: probe.width,
      height: probe.height,
      durationSeconds: probe.durationSeconds,
      frameRate: probe.frameRate,
      bitDepth: probe.bitDepth,
      videoBitrate: probe.videoBitrate,
      ...(probe.audio && { audio: probe.audio }),
    },
    ...(reel.speed && { speed: Number(reel.speed.speed.toFixed(3)) }),
  };
}

function progressLog(step: StepContext): (seconds: number, of: number) => void {
  let loggedAt = Date.now();
  return (seconds, of) => {
    if (Date.now() - loggedAt < PROGRESS_LOG_MS) return;
    loggedAt = Date.now();
    step.log.info(`transcoding: ${seconds.toFixed(0)} of ${of.toFixed(0)} s`);
  };
}
