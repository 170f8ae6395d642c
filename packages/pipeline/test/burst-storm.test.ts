/**
 * Best of the burst under a redelivery storm: messages come back while they are still being worked
 * on (visibility timeouts of 1-2 s), every S3 notification arrives three times, and a second set
 * of consumers (a second function instance) polls the same queues. Each burst still posts exactly
 * one photo, its pick, by the Graph API sandbox's own record of posts.
 */
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { createHandler as convertHandler } from "@photo-relay/functions/convert";
import { createHandler as mirrorHandler } from "@photo-relay/functions/mirror";
import { createHandler as publishHandler } from "@photo-relay/functions/publish";
import { type Consumer, type LocalStack, startConsumer } from "@photo-relay/local-stack";
import { s3Event } from "@photo-relay/pipeline/jobs";
import { STAGE_SETTINGS } from "@photo-relay/pipeline/settings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { allFinished, postedPhotos, uploadFrames } from "./fixtures/burst-stack.ts";
import { labelledBursts } from "./fixtures/labelled-bursts.ts";

let stack: LocalStack;
const second: Consumer[] = [];

beforeAll(async () => {
  stack = await testStack({
    settings: { bursts: { settleSeconds: 2 } },
    graphQuotaTotal: 500,
    queueOverrides: {
      convert: { visibilityTimeoutSeconds: 2, maxReceives: 20 },
      mirror: { visibilityTimeoutSeconds: 2, maxReceives: 20 },
      publish: { visibilityTimeoutSeconds: 1, maxReceives: 50 },
    },
  });
  const handlers = {
    convert: convertHandler(() => stack.runtime),
    mirror: mirrorHandler(() => stack.runtime),
    publish: publishHandler(() => stack.publishRuntime),
  };
  for (const stage of ["convert", "mirror", "publish"] as const) {
    second.push(
      startConsumer({
        functionName: `second-${stage}`,
        queueUrl: stack.runtime.queues.urlOf(stage),
        queueArn: `arn:aws:sqs:us-east-1:000000000000:photo-relay-${stage}`,
        region: "us-east-1",
        handler: handlers[stage],
        sqs: stack.runtime.clients.sqs,
        logger: stack.runtime.logger,
        batchSize: STAGE_SETTINGS[stage].batchSize,
        timeoutMs: STAGE_SETTINGS[stage].timeoutSeconds * 1000,
        concurrency: 2,
        waitSeconds: 1,
      }),
    );
  }
});
afterAll(async () => {
  await Promise.all(second.map((c) => c.stop()));
  await stack?.stop();
});

const queuesEmpty = async () => {
  const res = await fetch(`${stack.urls.api}/status`, {
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  const { queues } = (await res.json()) as { queues: Record<string, Record<string, number>> };
  return Object.values(queues).every((q) => (q.visible ?? 0) + (q.inFlight ?? 0) + (q.delayed ?? 0) === 0);
};

describe("best of the burst under a redelivery storm", () => {
  it("posts exactly one photo per burst: duplicated notifications, short visibility, two consumers", async () => {
    const set = await labelledBursts(6);
    const frames = await uploadFrames(stack, set, 6);
    // Each notification twice more, as S3 may repeat it, while the first copies are being converted.
    const { sqs } = stack.runtime.clients;
    for (const id of frames.keys()) {
      const key = `originals/${id}.jpg`;
      const event = (n: number) =>
        s3Event({
          region: "us-east-1",
          bucket: stack.config.s3.bucket,
          key,
          size: frames.get(id)?.jpeg.length ?? 0,
          eTag: "",
          eventName: "Put",
          sequencer: `${n}`,
          time: new Date(),
        });
      for (const n of [1, 2])
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: stack.config.sqs.convertQueueUrl,
            MessageBody: JSON.stringify(event(n)),
          }),
        );
    }
    const photos = await allFinished(stack, frames.keys());
    await waitFor(queuesEmpty, "every queue drained", { timeoutMs: 120_000, intervalMs: 500 });

    const scenes = new Set([...frames.values()].map((f) => f.scene));
    const posted = postedPhotos(stack);
    const postsPerScene = Map.groupBy(posted, (id) => frames.get(id)?.scene);
    const picks = photos.filter((p) => p.burst?.role === "pick").map((p) => p.id);
    console.info(
      JSON.stringify({
        frames: frames.size,
        scenes: scenes.size,
        posts: posted.length,
        mediaPublishCalls: stack.sandbox.state.publishLog.length,
        failed: photos.filter((p) => p.status === "failed").map((p) => p.stages),
      }),
    );
    expect(photos.filter((p) => p.status === "failed")).toEqual([]);
    expect(stack.sandbox.state.publishLog).toHaveLength(scenes.size);
    expect([...postsPerScene.values()].map((ids) => ids.length)).toEqual([...scenes].map(() => 1));
    expect(posted.sort()).toEqual(picks.sort());
  }, 300_000);
});
