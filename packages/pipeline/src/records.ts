/**
 * One SQS record → one stage call. Throwing fails only this record (partial batch response):
 * the queue redelivers it, and after the queue's max receives moves it to the dead-letter queue.
 */
import type { SQSRecord } from "aws-lambda";
import { convertObject } from "./convert.ts";
import { mirrorJob, objectsCreated, parseBody, publishJob } from "./messages.ts";
import { mirrorPhoto } from "./mirror.ts";
import { runPublishStep } from "./publish.ts";
import type { Runtime } from "./runtime.ts";

export type RecordHandler = (rt: Runtime, record: SQSRecord) => Promise<void>;

export const convertRecord: RecordHandler = async (rt, record) => {
  for (const object of objectsCreated(record.body)) await convertObject(rt, object);
};

export const mirrorRecord: RecordHandler = (rt, record) =>
  mirrorPhoto(rt, parseBody(mirrorJob, record.body, "mirror").photoId);

export const publishRecord: RecordHandler = (rt, record) =>
  runPublishStep(rt, parseBody(publishJob, record.body, "publish"));
