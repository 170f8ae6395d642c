import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { createLogger } from "@photo-relay/core";
import { objectsCreated } from "@photo-relay/pipeline/jobs";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverS3Notifications } from "../src/s3-notifications.ts";

let server: FauxqsServer;
let s3: S3Client;
let sqs: SQSClient;
let queueUrl: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false, messageSpies: true });
  server.createBucket("media");
  queueUrl = `${server.address}${new URL(server.createQueue("convert").queueUrl).pathname}`;
  const common = {
    region: "us-east-1",
    endpoint: server.address,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  };
  s3 = new S3Client({ ...common, forcePathStyle: true, requestChecksumCalculation: "WHEN_REQUIRED" });
  sqs = new SQSClient(common);
  stop = deliverS3Notifications(
    { server, s3, sqs, region: "us-east-1", logger: createLogger("t", { level: "SILENT" }) },
    [{ bucket: "media", prefix: "originals/", queueUrl }],
  );
});
afterAll(async () => {
  await stop();
  s3.destroy();
  sqs.destroy();
  await server.stop();
});

async function nextEvents(count: number) {
  const bodies: string[] = [];
  const deadline = Date.now() + 10_000;
  while (bodies.length < count && Date.now() < deadline) {
    const out = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
    );
    bodies.push(...(out.Messages ?? []).map((m) => m.Body ?? ""));
  }
  return bodies.map((b) => JSON.parse(b));
}

describe("local stack: S3 ObjectCreated notifications", () => {
  it("announces a PUT in AWS's event format, key URL-encoded", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "media", Key: "originals/a photo.jpg", Body: "12345" }));
    const [event] = await nextEvents(1);
    const record = event.Records[0];
    expect(record).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-east-1",
      eventName: "ObjectCreated:Put",
      s3: {
        bucket: { name: "media", arn: "arn:aws:s3:::media" },
        object: { key: "originals/a+photo.jpg", size: 5 },
      },
    });
    expect(record.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
    expect(objectsCreated(JSON.stringify(event))).toEqual([
      {
        bucket: "media",
        key: "originals/a photo.jpg",
        size: 5,
        eventName: "ObjectCreated:Put",
        eventTime: record.eventTime,
      },
    ]);
    expect(new Date(record.eventTime).toISOString()).toBe(record.eventTime);
  });

  it("announces a completed multipart upload, and a presigned POST from a browser form", async () => {
    const key = "originals/big.nef";
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: "media", Key: key }));
    const part = await s3.send(
      new UploadPartCommand({
        Bucket: "media",
        Key: key,
        UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(1024, 7),
      }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: "media",
        Key: key,
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    const post = await createPresignedPost(s3, { Bucket: "media", Key: "originals/phone.jpg", Expires: 60 });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append("file", new Blob([Buffer.alloc(64, 1)], { type: "image/jpeg" }), "phone.jpg");
    const res = await fetch(post.url, { method: "POST", body: form });
    expect(res.ok).toBe(true);

    const names = (await nextEvents(2)).map((e) => `${e.Records[0].eventName} ${e.Records[0].s3.object.key}`);
    expect(names.sort()).toEqual([
      "ObjectCreated:CompleteMultipartUpload originals/big.nef",
      "ObjectCreated:Post originals/phone.jpg",
    ]);
  });

  it("announces nothing outside the rule's prefix", async () => {
    await s3.send(new PutObjectCommand({ Bucket: "media", Key: "renditions/x/web.jpg", Body: "1" }));
    await s3.send(new PutObjectCommand({ Bucket: "media", Key: "originals/after.jpg", Body: "1" }));
    const events = await nextEvents(1);
    expect(events.map((e) => e.Records[0].s3.object.key)).toEqual(["originals/after.jpg"]);
  });
});
