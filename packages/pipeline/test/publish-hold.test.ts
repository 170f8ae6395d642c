/**
 * publish: the owner's choices, honoured in auto mode on the local stack and the Graph sandbox. A
 * held photo makes no container and is never posted until released, then it is posted exactly
 * once; a photo held after its container was made is not published until released; the owner's
 * caption is the one posted (held to Instagram's rules), and the photo page previews it.
 */
import { originalKey, sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { newPhoto } from "../src/photo/index.ts";

let stack: LocalStack;
let seed = 300;
const photo = () => cameraJpeg({ width: 1200, height: 1000, seed: seed++ });

beforeAll(async () => {
  stack = await testStack({
    publishMode: "auto",
    // Meta takes a while with each container, so a hold can land while one is processing.
    graphProcessingMs: 2500,
    settings: { instagram: { captionTemplate: "{filename}" } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

async function api<T = { error?: { code: string } }>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const containersOf = (id: string) =>
  [...stack.sandbox.state.containers.values()].filter((c) => c.imageUrl?.includes(id));
const postsOf = (id: string) =>
  [...stack.sandbox.state.media.values()].filter((m) => containersOf(id).some((c) => c.id === m.containerId));

/**
 * The owner held the photo while it was converting: the record carries the hold before the
 * publish stage sees it. Returns the photo id once the original is in S3.
 */
async function uploadHeld(name: string): Promise<string> {
  const data = await photo();
  const id = sha256Hex(data);
  const record = { id, originalKey: originalKey(id, ".jpg"), bytes: data.length, originalName: name };
  await stack.runtime.photos.ensure(newPhoto({ ...record, source: "test", publishHold: "hold" }, new Date()));
  await uploadOriginal(stack, data, name);
  return id;
}

/** Nothing left in the publish queue that could still post anything. */
const publishQueueDrained = () =>
  waitFor(async () => {
    type Depth = { visible: number; inFlight: number; delayed: number };
    const { publish } = (await api<{ queues: { publish: Depth } }>("GET", "/status")).body.queues;
    return publish.visible + publish.inFlight + publish.delayed === 0;
  }, "the publish queue drained");

describe("publish: the owner's hold and caption", () => {
  it("parks a held photo without a container, and posts it once when released", async () => {
    const id = await uploadHeld("HELD_0001.JPG");
    const held = await waitForPhoto(stack, id, (p) => p.status === "held", "parked as held");
    await publishQueueDrained();
    expect(containersOf(id)).toEqual([]);
    expect(held.journey.filter((e) => e.stage === "publish").map((e) => e.status)).toEqual(["held"]);

    const releases = await Promise.all(
      [1, 2, 3].map(() => api("POST", `/photos/${id}/publishing`, { action: "release" })),
    );
    expect(releases.map((r) => r.status)).toEqual([200, 200, 200]);
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published after the release");
    await publishQueueDrained();
    expect(containersOf(id)).toHaveLength(1);
    expect(postsOf(id).map((m) => m.id)).toEqual([done.stages.publish.mediaId]);
    expect(postsOf(id)[0]?.caption).toBe("HELD_0001.JPG");
  });

  it("does not publish a held photo whose container exists until it is released", async () => {
    const id = await uploadOriginal(stack, await photo(), "HELD_0002.JPG");
    const withContainer = await waitForPhoto(
      stack,
      id,
      (p) => p.stages.publish.containerId !== undefined,
      "its container",
    );
    const hold = await api("POST", `/photos/${id}/publishing`, { action: "hold" });
    expect(hold.status).toBe(200);
    const held = await waitForPhoto(stack, id, (p) => p.stages.publish.status === "held", "parked as held");
    await publishQueueDrained();
    const containerId = withContainer.stages.publish.containerId as string;
    // Meta finishes processing it; only the hold keeps it from the feed.
    await waitFor(
      async () =>
        (await stack.publishRuntime.graph.getContainerStatus(containerId)).statusCode === "FINISHED",
      "the container processed",
    );
    expect(postsOf(id)).toEqual([]);
    expect(held.stages.publish.mediaId).toBeUndefined();

    await api("POST", `/photos/${id}/publishing`, { action: "release" });
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published after the release");
    await publishQueueDrained();
    expect(done.stages.publish.containerId).toBe(containerId); // the container made before the hold
    expect(postsOf(id)).toHaveLength(1);
  });

  it("posts the owner's caption instead of the template's, held to Instagram's rules, and previews it", async () => {
    const id = await uploadHeld("CAPTION_0001.JPG");
    await waitForPhoto(stack, id, (p) => p.stages.publish.status === "held", "parked as held");
    const tags = Array.from({ length: 32 }, (_, i) => `#t${i}`).join(" ");
    const saved = await api<{ caption: unknown }>("PUT", `/photos/${id}/caption`, {
      caption: `First dance ${tags}`,
    });
    expect(saved.status).toBe(200);
    const firstThirty = `First dance ${tags.split(" ").slice(0, 30).join(" ")}`;
    expect(saved.body.caption).toMatchObject({
      text: `First dance ${tags}`,
      overridden: true,
      preview: {
        template: "CAPTION_0001.JPG",
        posted: firstThirty,
        source: "owner",
        broken: ["32 hashtags (max 30)"],
        policy: "truncate",
      },
    });

    await api("POST", `/photos/${id}/publishing`, { action: "release" });
    await waitForPhoto(stack, id, (p) => p.status === "done", "published");
    expect(postsOf(id).map((m) => m.caption)).toEqual([firstThirty]);
  });

  it("refuses to hold a photo already on Instagram", async () => {
    const id = await uploadOriginal(stack, await photo(), "POSTED_0001.JPG");
    await waitForPhoto(stack, id, (p) => p.status === "done", "published");
    const hold = await api("POST", `/photos/${id}/publishing`, { action: "hold" });
    expect(hold).toMatchObject({ status: 409, body: { error: { code: "already_published" } } });
  });
});
