/**
 * `POST /photos/:id/retry`: re-drives the stages of a photo that failed (or are still retrying),
 * e.g. after the web host came back or a dead-lettered message was given up on. Each stage is
 * idempotent, so a re-drive never duplicates work that is done, and a stage is queued again only
 * by the re-drive that restarted it.
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { NotFoundError, type PhotoId } from "@photo-relay/core";
import { RequestRefusedError } from "../errors.ts";
import { s3Event } from "../jobs/s3-event.ts";
import type { PhotoRecord, StageName } from "../photo/photo-record.ts";
import type { Transition } from "../photo/photo-store.ts";
import { restartStage } from "../photo/stage-transitions.ts";
import type { Runtime } from "../runtime.ts";

const STUCK = new Set(["failed", "retrying"]);

export async function redrivePhoto(rt: Runtime, id: PhotoId): Promise<{ redriven: StageName[] }> {
  const photo = await rt.photos.get(id);
  if (!photo) throw new NotFoundError(`photo ${id}`);
  if (photo.rejection || photo.quarantine) throw new RequestRefusedError("not_retryable");
  const stuck = (["convert", "mirror", "publish"] as const).filter(
    // A publish stage failed by Instagram's rules fails again: only the other stages are retried.
    (s) => STUCK.has(photo.stages[s].status) && !(s === "publish" && photo.instagramRefusal),
  );
  if (stuck.length === 0 && photo.instagramRefusal) throw new RequestRefusedError("not_retryable");
  if (stuck.length === 0) {
    throw new RequestRefusedError("nothing_to_retry");
  }
  if (stuck.includes("convert")) {
    // Converting again hands the mirror and publish jobs on itself.
    if (await restartIfStuck(rt, id, "convert", restartStage("convert", rt.now()))) {
      await resendNotification(rt, photo);
    }
    return { redriven: ["convert"] };
  }
  for (const stage of stuck) {
    if (stage === "mirror") {
      if (await restartIfStuck(rt, id, "mirror", restartStage("mirror", rt.now()))) {
        await rt.queues.mirror({ photoId: id }); // which hands publish on, when publish waits for it
      }
    } else if (await restartIfStuck(rt, id, "publish", freshPublish(rt))) {
      await rt.queues.publish({ photoId: id, step: "create", checks: 0 }); // the media spec is on the record
    }
  }
  return { redriven: stuck };
}

/**
 * Restarts `stage` if it is still stuck when written; `true` for the one write that did. Re-drives
 * that race (a double click, `POST /retry` beside a photo's own retry) thus queue the stage once:
 * a second `create` would make a second container for nothing, and count against Meta's limits.
 */
async function restartIfStuck(
  rt: Runtime,
  id: PhotoId,
  stage: StageName,
  restart: Transition,
): Promise<boolean> {
  let restarted = false;
  await rt.photos.update(id, (p) => {
    restarted = STUCK.has(p.stages[stage].status);
    return restarted ? restart(p) : undefined;
  });
  return restarted;
}

/** The publish stage restarted from a fresh container: one that ended in ERROR cannot be published. */
const freshPublish =
  (rt: Runtime): Transition =>
  (p) => {
    const { containerId: _c, containerCreatedAt: _t, ...publish } = p.stages.publish;
    const stage = p.stages.publish.mediaId ? p.stages.publish : publish;
    return restartStage("publish", rt.now())({ ...p, stages: { ...p.stages, publish: stage } });
  };

/** The notification S3 sent for the original, sent again. */
async function resendNotification(rt: Runtime, photo: PhotoRecord): Promise<void> {
  const event = s3Event({
    region: rt.config.region,
    bucket: rt.config.s3.bucket,
    key: photo.originalKey,
    size: photo.bytes,
    eTag: "",
    eventName: "Put",
    sequencer: Date.now().toString(16),
    time: rt.now(),
  });
  await rt.clients.sqs.send(
    new SendMessageCommand({ QueueUrl: rt.queues.urlOf("convert"), MessageBody: JSON.stringify(event) }),
  );
}
