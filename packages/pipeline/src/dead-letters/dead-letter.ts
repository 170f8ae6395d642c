/**
 * A message that reached a dead-letter queue: the stage it gave up in is marked on the photo
 * (`failed`, `deadLettered`, one journey event), then someone is told (`alerts.ts`). Marking
 * comes first and is the part that must not be lost: if it fails, the record fails and the
 * message comes back; a failed alert is logged and the message is done with. A stage finished
 * meanwhile (a duplicate message succeeded) or marked already is left alone, and nobody is told
 * twice.
 */
import { isPhotoId, type PhotoId, photoIdOfKey } from "@photo-relay/core";
import type { SQSRecord } from "aws-lambda";
import { objectsCreated } from "../jobs/s3-event.ts";
import type { StageName } from "../photo/photo-record.ts";
import { deadLetterStage, isFinished } from "../photo/stage-transitions.ts";
import type { QueueName } from "../settings.ts";
import { type Alert, sendAlert } from "./alerts.ts";
import type { DeadLetterRuntime } from "./dead-letter-runtime.ts";

/** What a dead-lettered message was about, as far as it says. */
export interface DeadLetter {
  /**
   * The photo's stage that gave up, from the dead-letter queue it came from (the reel queue's is
   * `convert`'s: a video is converted once its Reel is made); `undefined` for a queue this app does not know.
   */
  stage: StageName | undefined;
  photoId: PhotoId | undefined;
  messageId: string;
  /** How often its queue handed it out before giving up. */
  receives: number;
}

/** Marks the photo and alerts; throws only when the marking failed (the message then comes back). */
export async function handleDeadLetter(rt: DeadLetterRuntime, record: SQSRecord): Promise<void> {
  const letter = readDeadLetter(rt, record);
  const log = rt.logger.createChild({ persistentKeys: { ...letter } });
  if (!letter.stage || !letter.photoId) {
    // Kept in the function's log, where CloudWatch holds it; the queue's copy goes.
    log.error("a message no photo can be found for gave up", { body: record.body.slice(0, 4096) });
    await sendAlert(rt, { letter, summary: "a message no photo can be found for gave up" }, log);
    return;
  }
  const { stage, photoId } = letter;
  const before = await rt.photos.get(photoId);
  if (!before) {
    log.error("a message gave up for a photo that has no record", { body: record.body.slice(0, 4096) });
    await sendAlert(rt, { letter, summary: `${stage} gave up for a photo that has no record` }, log);
    return;
  }
  if (isFinished(before.stages[stage]) || before.stages[stage].deadLettered) {
    log.info("dead letter for a stage that is finished or marked already; nothing to do");
    return;
  }
  const photo = await rt.photos.update(photoId, deadLetterStage(stage, rt.now()));
  const alert: Alert = { letter, summary: `${stage} gave up`, photo };
  log.error(`${stage} gave up; the photo's stage is marked dead-lettered`, {
    lastError: photo.stages[stage].lastError,
  });
  await sendAlert(rt, alert, log);
}

/** The stage from the queue the record came from, the photo from the message (an S3 event or a job). */
export function readDeadLetter(rt: Pick<DeadLetterRuntime, "config">, record: SQSRecord): DeadLetter {
  const queue = record.eventSourceARN.split(":").at(-1);
  const { sqs } = rt.config;
  const urls: Record<QueueName, string> = {
    convert: sqs.convertDlqUrl,
    mirror: sqs.mirrorDlqUrl,
    publish: sqs.publishDlqUrl,
    reel: sqs.reelDlqUrl,
  };
  const from = (Object.keys(urls) as QueueName[]).find((q) => urls[q].split("/").at(-1) === queue);
  return {
    stage: from === "reel" ? "convert" : from,
    photoId: from ? photoOf(from, record.body) : undefined,
    messageId: record.messageId,
    receives: Number(record.attributes.ApproximateReceiveCount ?? "0"),
  };
}

/** Read leniently: a message can reach the dead-letter queue because it was malformed. */
function photoOf(queue: QueueName, body: string): PhotoId | undefined {
  try {
    if (queue === "convert")
      return objectsCreated(body)
        .map((o) => photoIdOfKey(o.key))
        .find(Boolean);
    const { photoId } = JSON.parse(body) as { photoId?: unknown };
    return typeof photoId === "string" && isPhotoId(photoId) ? photoId : undefined;
  } catch {
    return undefined;
  }
}
