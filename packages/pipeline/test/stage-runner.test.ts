/**
 * The stage runner, the one place that decides what a stage's outcome means for the photo and its
 * message — against a real queue and table, with a stand-in stage.
 */
import type { AddressInfo } from "node:net";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { createLogger, parseConfig, RetryableError, ValidationError } from "@photo-relay/core";
import { createPhotosTable, createQueuesAndBucket } from "@photo-relay/local-stack";
import type { SQSRecord } from "aws-lambda";
import dynalite from "dynalite";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../../../test/support/wait.ts";
import { finished, type StageResult, toPublish } from "../src/jobs/next-jobs.ts";
import { newPhoto } from "../src/photo/photo-record.ts";
import { closeRuntime, createRuntime, type Runtime } from "../src/runtime.ts";
import { runRecord, runtimeOnly, type Stage } from "../src/stage-runner.ts";

let fauxqs: FauxqsServer;
const dynamo = dynalite({ createTableMs: 0 });
let rt: Runtime;
let seed = 0;
const time = { getRemainingTimeInMillis: () => 60_000 };

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  const queues = createQueuesAndBucket(fauxqs, { bucket: "media", table: "photos", queuePrefix: "runner-" });
  await new Promise<void>((resolve) => dynamo.listen(0, "127.0.0.1", () => resolve()));
  const dynamoUrl = `http://127.0.0.1:${(dynamo.address() as AddressInfo).port}`;
  const config = parseConfig({
    region: "us-east-1",
    s3: { bucket: "media", endpoint: fauxqs.address, forcePathStyle: true },
    sqs: {
      endpoint: fauxqs.address,
      convertQueueUrl: queues.convert.url,
      mirrorQueueUrl: queues.mirror.url,
      publishQueueUrl: queues.publish.url,
    },
    dynamodb: { endpoint: dynamoUrl, table: "photos" },
    api: { token: "a-token-of-16-chars" },
    instagram: { userId: "1", accessToken: "token" },
    redelivery: { baseSeconds: 1, maxSeconds: 1 },
  });
  const credentials = { accessKeyId: "x", secretAccessKey: "x" };
  rt = createRuntime(config, { credentials, logger: createLogger("test", { level: "SILENT" }) });
  const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
  const client = new DynamoDBClient({ region: "us-east-1", endpoint: dynamoUrl, credentials });
  await createPhotosTable(client, "photos");
  client.destroy();
});
afterAll(async () => {
  if (rt) closeRuntime(rt);
  await fauxqs?.stop();
  await new Promise((resolve) => dynamo.close(resolve));
});

interface Job {
  photoId?: string;
}

const stage = (run: (job: Job) => Promise<StageResult>, extra: Partial<Stage<Job>> = {}): Stage<Job> => ({
  name: "mirror",
  jobsOf: (body) => [JSON.parse(body) as Job],
  photoOf: (job) => job.photoId,
  openBatch: runtimeOnly,
  run: (_rt, job) => run(job),
  ...extra,
});

/** A photo in the table, and its job received from the mirror queue (a real receipt handle). */
async function received(receives = 1): Promise<{ id: string; record: SQSRecord }> {
  const id = (++seed).toString(16).padStart(64, "0");
  await rt.photos.ensure(newPhoto({ id, originalKey: `originals/${id}.jpg`, bytes: 1 }, new Date()));
  const QueueUrl = rt.queues.urlOf("mirror");
  await rt.clients.sqs.send(
    new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify({ photoId: id }) }),
  );
  const out = await rt.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
  const message = out.Messages?.[0];
  if (!message?.ReceiptHandle || !message.Body) throw new Error("no message received");
  const record = {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: { ApproximateReceiveCount: String(receives) },
  } as SQSRecord;
  return { id, record };
}

const mirrorStage = async (id: string) => (await rt.photos.require(id)).stages.mirror;

describe("stage runner", () => {
  it("sends the jobs a stage handed on when it is done", async () => {
    const { id, record } = await received();
    const next = { photoId: id, step: "check" as const, checks: 0 };
    await runRecord(
      stage(async () => finished(toPublish(next))),
      rt,
      record,
      time,
    );
    const out = await rt.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: rt.queues.urlOf("publish"), WaitTimeSeconds: 2 }),
    );
    expect(out.Messages?.map((m) => JSON.parse(m.Body ?? ""))).toEqual([next]);
  });

  it("records a retryable failure as retrying and brings the message back after the redelivery delay", async () => {
    const { id, record } = await received();
    const failing = stage(async () => {
      throw new RetryableError("host_down", "the web host refused the connection");
    });
    await expect(runRecord(failing, rt, record, time)).rejects.toThrow(/refused the connection/);
    expect(await mirrorStage(id)).toMatchObject({ status: "retrying", lastError: { code: "host_down" } });
    // The queue's own visibility timeout is minutes; the runner made it a second.
    const again = await waitFor(
      async () =>
        (await rt.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: rt.queues.urlOf("mirror") })))
          .Messages,
      "the message back",
      { timeoutMs: 10_000 },
    );
    expect(again.map((m) => JSON.parse(m.Body ?? "").photoId)).toEqual([id]);
  });

  it("gives up at the queue's last receive: failed, with the attempts and the reason", async () => {
    const { id, record } = await received(8);
    const failing = stage(async () => {
      throw new RetryableError("host_down", "the web host refused the connection");
    });
    await expect(runRecord(failing, rt, record, time)).rejects.toThrow();
    expect((await mirrorStage(id)).lastError).toMatchObject({
      code: "gave_up",
      message: "gave up after 8 attempts: the web host refused the connection",
    });
    expect((await mirrorStage(id)).status).toBe("failed");
  });

  it("fails the stage on a fatal error and is done with the message", async () => {
    const { id, record } = await received();
    const failing = stage(async () => {
      throw new ValidationError("bad_target", "the mirror target has no transport");
    });
    await runRecord(failing, rt, record, time);
    expect(await mirrorStage(id)).toMatchObject({ status: "failed", lastError: { code: "bad_target" } });
  });

  it("keeps a message no photo can be recorded for, so the queue dead-letters it", async () => {
    const { record } = await received();
    const orphan = { ...record, body: "{}" };
    const failing = stage(async () => {
      throw new ValidationError("bad_message", "mirror message is not a job");
    });
    await expect(runRecord(failing, rt, orphan, time)).rejects.toThrow(/not a job/);
  });

  it("does not start a record of a sequential stage with too little time left", async () => {
    const { id, record } = await received();
    let ran = false;
    const sequential = stage(
      async () => {
        ran = true;
        return finished();
      },
      { sequential: { recordBudgetMs: () => 40_000 } },
    );
    const late = { getRemainingTimeInMillis: () => 5_000 };
    await expect(runRecord(sequential, rt, record, late)).rejects.toMatchObject({ code: "not_started" });
    expect(ran).toBe(false);
    expect(await mirrorStage(id)).toMatchObject({ status: "pending", attempts: 0 });
  });
});
