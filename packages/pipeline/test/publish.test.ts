/**
 * publish: one photo gives exactly one media_publish, whatever the queue does (redelivery,
 * duplicates, concurrent consumers, a crash between publishing and recording it).
 */

import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { publishPending } from "../src/operations/index.ts";
import { runPublishStep } from "../src/stages/publish/index.ts";
import { markPublished } from "../src/stages/publish/publish-steps.ts";

let stack: LocalStack;
let seed = 100;
const photo = () => cameraJpeg({ width: 1200, height: 1000, seed: seed++ });

/**
 * A photo approved and its container made and FINISHED by hand, as the create step would, before
 * the queue gets there: the state a consumer that crashes around media_publish leaves.
 */
async function approvedWithFinishedContainer(): Promise<{ id: string; containerId: string }> {
  const id = await uploadOriginal(stack, await photo());
  await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
  await stack.runtime.photos.update(id, (p) => ({
    ...p,
    stages: { ...p.stages, publish: { ...p.stages.publish, approved: true } },
  }));
  await runPublishStep(stack.publishRuntime, { photoId: id, step: "create", checks: 0 });
  const { stages } = await waitForPhoto(stack, id, (p) => !!p.stages.publish.containerId, "container");
  const containerId = stages.publish.containerId as string;
  await waitFor(
    async () => (await stack.publishRuntime.graph.getContainerStatus(containerId)).statusCode === "FINISHED",
    "FINISHED",
  );
  return { id, containerId };
}

beforeAll(async () => {
  // Manual mode holds photos before publishing, so each test can aim duplicates at one photo.
  stack = await testStack({
    publishMode: "manual",
    queueOverrides: { publish: { visibilityTimeoutSeconds: 1 } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const published = (id: string) => stack.sandbox.state.publishLog.length && stack.runtime.photos.get(id);

describe("publish: never posts twice", () => {
  it("holds photos for approval in manual mode, then POST /publish publishes them with counts", async () => {
    const ids = [await uploadOriginal(stack, await photo()), await uploadOriginal(stack, await photo())];
    for (const id of ids)
      await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
    const res = await fetch(`${stack.urls.api}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    expect(await res.json()).toEqual({ found: 2, published: 2, deferred: 0, ignored: 0, failed: 0 });
    for (const id of ids) await waitForPhoto(stack, id, (p) => p.status === "done", "published");
    expect(await publishPending(stack.publishRuntime)).toEqual({
      found: 0,
      published: 0,
      deferred: 0,
      ignored: 0,
      failed: 0,
    });
  });

  it("publishes once under a storm of duplicated and concurrent publish steps", async () => {
    const before = stack.sandbox.state.publishLog.length;
    const id = await uploadOriginal(stack, await photo());
    await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
    // Approve it, then hit it from all sides: queued duplicates of every step, and direct
    // concurrent calls as if several consumers had received copies of the same message.
    await Promise.all([
      ...Array.from({ length: 5 }, () =>
        fetch(`${stack.urls.api}/photos/${id}/publish`, {
          method: "POST",
          headers: { authorization: `Bearer ${stack.apiToken}` },
        }),
      ),
    ]);
    await waitForPhoto(stack, id, (p) => p.stages.publish.containerId !== undefined, "a container");
    await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        runPublishStep(stack.publishRuntime, { photoId: id, step: i % 2 ? "publish" : "check", checks: 0 }),
      ),
    );
    for (let i = 0; i < 5; i++)
      await stack.runtime.queues.publish({ photoId: id, step: "publish", checks: 0 });
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published");
    await waitFor(async () => {
      const { body } = {
        body: await (
          await fetch(`${stack.urls.api}/status`, { headers: { authorization: `Bearer ${stack.apiToken}` } })
        ).json(),
      };
      return body.queues.publish.visible + body.queues.publish.inFlight + body.queues.publish.delayed === 0;
    }, "the publish queue drained");
    expect(stack.sandbox.state.publishLog.length - before).toBe(1);
    expect(
      [...stack.sandbox.state.media.values()].filter(
        (m) => m.containerId === done.stages.publish.containerId,
      ),
    ).toHaveLength(1);
  });

  it("treats a container already PUBLISHED as done (a crash after media_publish, before recording it)", async () => {
    const { id, containerId } = await approvedWithFinishedContainer();
    const before = stack.sandbox.state.publishLog.length;
    await stack.publishRuntime.graph.publish(containerId); // the consumer's call went through, then it "crashed"
    await runPublishStep(stack.publishRuntime, { photoId: id, step: "publish", checks: 0 });
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "done");
    expect(done.stages.publish.status).toBe("done");
    expect(stack.sandbox.state.publishLog.length - before).toBe(1);
    // No post id can be recorded (Meta's container names none): the stage says why instead of
    // leaving a "done" that names no post (issue 14's soak: "its post undefined").
    expect(done.stages.publish.mediaId).toBeUndefined();
    expect(done.stages.publish.mediaIdUnknown?.code).toBe("published_unrecorded");
  });

  it("records the post id when the slow consumer's answer arrives after another found the container PUBLISHED", async () => {
    const { id, containerId } = await approvedWithFinishedContainer();
    // Consumer A's media_publish went through but its answer is still on the way; a duplicate
    // check step (consumer B) finds the container PUBLISHED first.
    const { mediaId } = await stack.publishRuntime.graph.publish(containerId);
    await runPublishStep(stack.publishRuntime, { photoId: id, step: "check", checks: 0 });
    const unrecorded = await waitForPhoto(stack, id, (p) => p.status === "done", "done");
    expect(unrecorded.stages.publish.mediaIdUnknown?.code).toBe("published_unrecorded");
    await markPublished(stack.publishRuntime, id, mediaId);
    const recorded = await stack.runtime.photos.require(id);
    expect(recorded.stages.publish.mediaId).toBe(mediaId);
    expect(recorded.stages.publish.mediaIdUnknown).toBeUndefined();
  });

  it("retries a transient Graph API error and still publishes once", async () => {
    const id = await uploadOriginal(stack, await photo());
    await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
    const before = stack.sandbox.state.publishLog.length;
    stack.sandbox.faults.set("server_error", { times: 2 });
    await fetch(`${stack.urls.api}/photos/${id}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published after the errors");
    expect(done.stages.publish.mediaId).toBeDefined();
    expect(stack.sandbox.state.publishLog.length - before).toBe(1);
    expect(await published(id)).toBeTruthy();
  });

  it("stops with a clear failed state when Instagram blocks the account, instead of retrying forever", async () => {
    const id = await uploadOriginal(stack, await photo());
    await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
    stack.sandbox.faults.set("account_restricted", { times: 1 });
    await fetch(`${stack.urls.api}/photos/${id}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    const failed = await waitForPhoto(stack, id, (p) => p.status === "failed", "failed");
    expect(failed.stages.publish.lastError?.code).toBe("instagram_blocked");
    expect(JSON.stringify(failed)).not.toContain(stack.config.instagram.accessToken);
  });
});
