import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { createLogger } from "@photo-relay/core";
import type { SQSEvent } from "aws-lambda";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SqsLambdaHandler, startConsumer } from "../src/sqs-runner.ts";

let server: FauxqsServer;
let sqs: SQSClient;
const logger = createLogger("test", { level: "SILENT" });

beforeAll(async () => {
  // With persistence on, as `npm start` runs it: the runner must not lose messages to the
  // emulator's ChangeMessageVisibility(0) bug.
  server = await startFauxqs({ port: 0, logger: false, dataDir: mkdtempSync(join(tmpdir(), "fauxqs-")) });
  sqs = new SQSClient({
    region: "us-east-1",
    endpoint: server.address,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
});
afterAll(async () => {
  sqs.destroy();
  await server.stop();
});

function queue(name: string, maxReceives = 3) {
  const dlq = server.createQueue(`${name}-dlq`);
  const q = server.createQueue(name, {
    attributes: {
      VisibilityTimeout: "1",
      RedrivePolicy: JSON.stringify({
        deadLetterTargetArn: dlq.queueArn,
        maxReceiveCount: String(maxReceives),
      }),
    },
  });
  return { url: `${server.address}${new URL(q.queueUrl).pathname}`, arn: q.queueArn, name };
}

async function run(
  q: ReturnType<typeof queue>,
  handler: SqsLambdaHandler,
  bodies: string[],
  until: () => boolean,
) {
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: q.url, MessageBody: body }));
  const consumer = startConsumer({
    functionName: q.name,
    queueUrl: q.url,
    queueArn: q.arn,
    region: "us-east-1",
    handler,
    sqs,
    logger,
    batchSize: 10,
    timeoutMs: 500,
    waitSeconds: 1,
  });
  const deadline = Date.now() + 15_000;
  while (!until() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.stop();
}

describe("local stack: SQS consumers with Lambda semantics", () => {
  it("delivers batches in AWS's event shape and deletes what succeeded", async () => {
    const q = queue("shape");
    const events: SQSEvent[] = [];
    await run(
      q,
      async (event) => void events.push(event),
      ["a", "b"],
      () => events.flatMap((e) => e.Records).length >= 2,
    );
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({ eventSource: "aws:sqs", eventSourceARN: q.arn, awsRegion: "us-east-1" });
    expect(record?.attributes.ApproximateReceiveCount).toBe("1");
    expect(server.inspectQueue("shape")?.messages.ready).toHaveLength(0);
    expect(server.inspectQueue("shape")?.messages.inflight).toHaveLength(0);
  });

  it("redelivers only the records reported in batchItemFailures", async () => {
    const q = queue("partial");
    const seen: string[] = [];
    await run(
      q,
      async (event) => {
        seen.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
        return {
          batchItemFailures: event.Records.filter(
            (r) => r.body === "bad" && r.attributes.ApproximateReceiveCount === "1",
          ).map((r) => ({ itemIdentifier: r.messageId })),
        };
      },
      ["good", "bad"],
      () => seen.includes("bad#2"),
    );
    expect(seen.filter((s) => s.startsWith("good"))).toEqual(["good#1"]);
    expect(seen).toContain("bad#2");
  });

  it("fails the whole batch when the handler throws or times out, then dead-letters after max receives", async () => {
    const q = queue("poison", 2);
    let calls = 0;
    await run(
      q,
      async () => {
        calls++;
        if (calls === 1) await new Promise((r) => setTimeout(r, 2000)); // past the 500 ms timeout
        throw new Error("always fails");
      },
      ["poison"],
      () => (server.inspectQueue("poison-dlq")?.messages.ready.length ?? 0) > 0,
    );
    expect(calls).toBe(2);
    expect(server.inspectQueue("poison-dlq")?.messages.ready.map((m) => m.body)).toEqual(["poison"]);
  });
});
