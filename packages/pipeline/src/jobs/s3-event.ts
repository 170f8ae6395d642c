/**
 * S3 `ObjectCreated` notifications, the convert queue's messages: read by convert, and built in
 * AWS's own format by the local stack (which has no S3 notifications) and for re-drives.
 */
import type { S3Event } from "aws-lambda";
import { BadMessageError } from "../errors.ts";

export interface CreatedObject {
  bucket: string;
  key: string;
  size: number;
  eventName: string;
  /** When S3 stored the object (ISO 8601, to the millisecond). */
  eventTime?: string;
}

/**
 * The objects an S3 notification announces. S3 URL-encodes keys (spaces as `+`); the test event S3
 * sends when notifications are configured carries no records and yields none.
 */
export function objectsCreated(body: string): CreatedObject[] {
  let event: Partial<S3Event> & { Event?: string };
  try {
    event = JSON.parse(body);
  } catch {
    throw new BadMessageError("convert", "is not JSON");
  }
  if (event.Event === "s3:TestEvent" || !Array.isArray(event.Records)) return [];
  return event.Records.filter((r) => r.eventName?.startsWith("ObjectCreated:")).map((r) => ({
    bucket: r.s3.bucket.name,
    key: decodeURIComponent(r.s3.object.key.replace(/\+/g, " ")),
    size: r.s3.object.size,
    eventName: r.eventName,
    ...(r.eventTime && { eventTime: r.eventTime }),
  }));
}

export type CreatedEventName = "Put" | "Post" | "CompleteMultipartUpload" | "Copy";

export interface S3EventInput {
  region: string;
  bucket: string;
  key: string;
  size: number;
  eTag: string;
  eventName: CreatedEventName;
  sequencer: string;
  time: Date;
}

/** An `ObjectCreated` notification exactly as S3 writes it (key URL-encoded, spaces as `+`). */
export function s3Event(input: S3EventInput) {
  return {
    Records: [
      {
        eventVersion: "2.1",
        eventSource: "aws:s3",
        awsRegion: input.region,
        eventTime: input.time.toISOString(),
        eventName: `ObjectCreated:${input.eventName}`,
        userIdentity: { principalId: "AWS:LOCAL" },
        requestParameters: { sourceIPAddress: "127.0.0.1" },
        responseElements: { "x-amz-request-id": input.sequencer, "x-amz-id-2": "local" },
        s3: {
          s3SchemaVersion: "1.0",
          configurationId: "originals-to-convert",
          bucket: {
            name: input.bucket,
            ownerIdentity: { principalId: "LOCAL" },
            arn: `arn:aws:s3:::${input.bucket}`,
          },
          object: {
            key: encodeURIComponent(input.key).replace(/%20/g, "+").replace(/%2F/g, "/"),
            size: input.size,
            eTag: input.eTag,
            sequencer: input.sequencer.padStart(18, "0").toUpperCase(),
          },
        },
      },
    ],
  };
}
