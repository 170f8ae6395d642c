/**
 * publish: `create` waits a moment in the step for Meta to process an image container, so a photo
 * Meta finishes in about a second goes straight to `publish` instead of waiting for the queue's
 * first check; a video, an invocation short of time or a call budget half spent leave the waiting
 * to the queued checks, as before.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { makeMp4 } from "@photo-relay/graph-sandbox";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { StepContext } from "../src/stage-runner.ts";
import { runPublishStep } from "../src/stages/publish/index.ts";
import { recordPublishMedia } from "../src/stages/publish/publish-media.ts";

let stack: LocalStack;
let seed = 9100;
/** Low enough that the last test can spend half of it on purpose. */
const CALLS_PER_HOUR = 40;

beforeAll(async () => {
  // Manual mode holds each photo, so the tests run its `create` step themselves.
  stack = await testStack({ publishMode: "manual", graphCallsPerHour: CALLS_PER_HOUR });
});
afterAll(async () => {
  await stack?.stop();
});

/** A converted photo, approved, whose `create` has not run yet. */
async function approved(): Promise<string> {
  const id = await uploadOriginal(stack, await cameraJpeg({ width: 640, height: 640, seed: seed++ }));
  await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
  await stack.runtime.photos.update(id, (p) => ({
    ...p,
    stages: { ...p.stages, publish: { ...p.stages.publish, approved: true } },
  }));
  return id;
}

const create = (id: string, step?: StepContext) =>
  runPublishStep(stack.publishRuntime, { photoId: id, step: "create", checks: 0 }, step);

/** The queued check `create` hands on when it did not wait (FAST_SETTINGS: checkDelaysSeconds [1]). */
const queuedCheck = (id: string) => ({
  queue: "publish",
  job: { photoId: id, step: "check", checks: 0 },
  delaySeconds: 1,
});

describe("publish: waiting for Meta within the step", () => {
  it("hands `publish` on at once when Meta finishes the image while the step waits", async () => {
    const id = await approved();
    const { next } = await create(id);
    expect(next).toEqual([
      { queue: "publish", job: { photoId: id, step: "publish", checks: 0 }, delaySeconds: 0 },
    ]);
    const photo = await stack.runtime.photos.require(id);
    const container = stack.sandbox.state.containers.get(photo.stages.publish.containerId as string);
    expect(container?.readyAt).toBeLessThanOrEqual(stack.sandbox.clock.now());
    expect(stack.sandbox.state.media.size, "create itself never publishes").toBe(0);
  });

  it("leaves the waiting to the queue when the invocation cannot afford another Graph call", async () => {
    const id = await approved();
    // 30 s left: less than one Graph call at its timeout (20 s) plus the step's margin (15 s).
    const { next } = await create(id, new StepContext(stack.runtime.logger, id, () => 30_000));
    expect(next).toEqual([queuedCheck(id)]);
  });

  it("never waits for a Reel: videos take Meta tens of seconds", async () => {
    const id = await approved();
    const videoKey = `videos/${id}.mp4`;
    await stack.runtime.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.config.s3.bucket,
        Key: videoKey,
        Body: makeMp4({ durationSeconds: 4 }),
      }),
    );
    await recordPublishMedia(stack.runtime, id, { kind: "reel", videoKey, shareToFeed: true });
    // Processed as fast as an image here (the sandbox's 200 ms): only the kind keeps the step from waiting.
    const { next } = await create(id);
    expect(next).toEqual([queuedCheck(id)]);
  });

  it("leaves the waiting to the queue once Meta reports half the hourly call budget spent", async () => {
    const id = await approved();
    const { graph } = stack.publishRuntime;
    while ((graph.lastUsage?.maxPercent ?? 0) < 50) await graph.getPublishingLimit();
    const { next } = await create(id);
    expect(next).toEqual([queuedCheck(id)]);
  });
});
