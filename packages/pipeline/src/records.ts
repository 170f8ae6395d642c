/**
 * One SQS record → one stage call. Throwing fails only this record (partial batch response):
 * the queue redelivers it, and after the queue's max receives moves it to the dead-letter queue.
 */
import { isPhotoId, ORIGINALS_PREFIX } from "@photo-relay/core";
import type { SQSRecord } from "aws-lambda";
import { convertObject } from "./convert.ts";
import { mirrorJob, objectsCreated, parseBody, publishJob } from "./messages.ts";
import { mirrorPhoto } from "./mirror.ts";
import { runPublishStep } from "./publish.ts";
import { handleFailure } from "./redelivery.ts";
import type { Runtime } from "./runtime.ts";

export type RecordHandler = (rt: Runtime, record: SQSRecord) => Promise<void>;

export const convertRecord: RecordHandler = async (rt, record) => {
  for (const object of objectsCreated(record.body)) {
    await convertObject(rt, object).catch((error: unknown) =>
      handleFailure(rt, "convert", record, idFromKey(object.key), error),
    );
  }
};

export const mirrorRecord: RecordHandler = async (rt, record) => {
  const { photoId } = parseBody(mirrorJob, record.body, "mirror");
  await mirrorPhoto(rt, photoId).catch((error: unknown) =>
    handleFailure(rt, "mirror", record, photoId, error),
  );
};

export const publishRecord: RecordHandler = async (rt, record) => {
  const job = parseBody(publishJob, record.body, "publish");
  await runPublishStep(rt, job).catch((error: unknown) =>
    handleFailure(rt, "publish", record, job.photoId, error),
  );
};

/** Uploaders name originals by their SHA-256, the photo id (the id itself comes from the bytes). */
function idFromKey(key: string): string | undefined {
  const name = key.slice(ORIGINALS_PREFIX.length).split(".")[0] ?? "";
  return isPhotoId(name) ? name : undefined;
}
