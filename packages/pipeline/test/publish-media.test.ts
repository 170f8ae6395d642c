/**
 * publish: beyond the feed image — a Reel (video_url, share_to_feed), a story, and a carousel of
 * 2–10 photos (items first, then the carousel container), each published exactly once.
 */

import { PutObjectCommand } from "@aws-sdk/client-s3";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { makeMp4 } from "@photo-relay/graph-sandbox";
import { carouselItemsReady, type GraphClient } from "@photo-relay/instagram";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import type { PublishJob } from "../src/jobs/job-schemas.ts";
import { publishCarousel, publishStory, publishVideo, requestPublish } from "../src/operations/index.ts";
import { setStage } from "../src/photo/stage-transitions.ts";
import { GRAPH_CALLS_PER_STEP } from "../src/settings.ts";
import { runPublishStep } from "../src/stages/publish/publish-stage.ts";

let stack: LocalStack;
let seed = 8000;

beforeAll(async () => {
  // Manual mode: photos wait for approval, so each test decides what they are published as.
  stack = await testStack({ publishMode: "manual" });
});
afterAll(async () => {
  await stack?.stop();
});

async function awaitingApproval(): Promise<string> {
  const id = await uploadOriginal(stack, await cameraJpeg({ width: 320, height: 320, seed: seed++ }));
  await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
  return id;
}

async function published(id: string) {
  const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published");
  const media = stack.sandbox.state.media.get(done.stages.publish.mediaId as string);
  expect(media).toBeDefined();
  return { done, media: media as NonNullable<typeof media> };
}

describe("publish: Reels, stories, carousels", () => {
  it("publishes a Reel from a video in the bucket, with share_to_feed", async () => {
    const id = await awaitingApproval();
    const videoKey = `videos/${id}.mp4`;
    await stack.runtime.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.config.s3.bucket,
        Key: videoKey,
        Body: makeMp4({ durationSeconds: 5 }),
        ContentType: "video/mp4",
      }),
    );
    await publishVideo(stack.runtime, id, { videoKey, shareToFeed: false });
    await requestPublish(stack.runtime, id);
    const { media } = await published(id);
    expect(media).toMatchObject({ mediaType: "VIDEO", productType: "REELS" });
    expect(stack.sandbox.state.containers.get(media.containerId)?.shareToFeed).toBe(false);
  });

  it("publishes a story from the Instagram rendition", async () => {
    const id = await awaitingApproval();
    await publishStory(stack.runtime, id);
    await requestPublish(stack.runtime, id);
    const { media } = await published(id);
    expect(media).toMatchObject({ mediaType: "IMAGE", productType: "STORY" });
  });

  it("publishes three photos as one carousel: items first, one media_publish", async () => {
    const ids = [await awaitingApproval(), await awaitingApproval(), await awaitingApproval()];
    const before = stack.sandbox.state.publishLog.length;
    await publishCarousel(stack.runtime, ids);
    await requestPublish(stack.runtime, ids[0] as string);
    const { media } = await published(ids[0] as string);
    expect(media.mediaType).toBe("CAROUSEL_ALBUM");
    expect(media.children).toHaveLength(3);
    for (const child of media.children ?? []) {
      expect(stack.sandbox.state.containers.get(child)?.isCarouselItem).toBe(true);
    }
    for (const id of ids.slice(1)) {
      const member = await waitForPhoto(stack, id, (p) => p.status === "done", "done as a carousel item");
      expect(member.stages.publish.status).toBe("skipped");
    }
    // Approving an item on its own posts nothing more.
    expect(await requestPublish(stack.runtime, ids[1] as string)).toBe("ignored");
    expect(stack.sandbox.state.publishLog.length - before).toBe(1);
  });

  it("refuses a carousel of one photo or of more than ten", async () => {
    const id = await awaitingApproval();
    await expect(publishCarousel(stack.runtime, [id])).rejects.toThrow(/2 to 10/);
    await expect(publishCarousel(stack.runtime, Array(11).fill(id))).rejects.toThrow(/2 to 10/);
  });

  it("makes a carousel of ten in two create steps, each waiting on at most three rounds of Graph calls", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(await awaitingApproval());
    const [lead] = ids as [string];
    await publishCarousel(stack.runtime, ids);
    await publishQueueDrained(); // the queued create step found the lead unapproved
    await stack.runtime.photos.update(lead, setStage("publish", { approved: true }));
    const { graph, rounds } = countRounds(stack.publishRuntime.graph);
    const rt = { ...stack.publishRuntime, graph };
    const step = async (job: PublishJob) => {
      rounds.count = 0;
      const [next] = (await runPublishStep(rt, job)).next;
      expect(rounds.count).toBeLessThanOrEqual(GRAPH_CALLS_PER_STEP);
      return next;
    };
    const create = { photoId: lead, step: "create" as const, checks: 0 };
    expect((await step(create))?.job).toMatchObject({ step: "create" }); // the items, all in one round
    expect(rounds.count).toBe(2); // quota, items
    const { stages } = await stack.runtime.photos.require(lead);
    const children = stages.publish.media?.kind === "carousel" ? (stages.publish.media.children ?? []) : [];
    expect(children).toHaveLength(10);
    await waitFor(() => carouselItemsReady(stack.publishRuntime.graph, children), "the items processed");
    const check = await step(create); // quota, the items' status, the carousel
    expect(check?.job).toMatchObject({ step: "check" });
    await stack.runtime.queues.send(check as NonNullable<typeof check>);
    const { media } = await published(lead);
    expect(media).toMatchObject({ mediaType: "CAROUSEL_ALBUM", children });
  });
});

/** Counts the rounds of calls made through `graph`: calls that overlap in time are one round. */
function countRounds(real: GraphClient) {
  const rounds = { count: 0 };
  let inFlight = 0;
  const graph = new Proxy(real, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        if (inFlight++ === 0) rounds.count++;
        try {
          return await value.apply(target, args);
        } finally {
          inFlight--;
        }
      };
    },
  });
  return { graph, rounds };
}

async function publishQueueDrained(): Promise<void> {
  const QueueUrl = stack.runtime.queues.urlOf("publish");
  await waitFor(async () => {
    const out = await stack.runtime.clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
    );
    const a = out.Attributes ?? {};
    return [
      a.ApproximateNumberOfMessages,
      a.ApproximateNumberOfMessagesNotVisible,
      a.ApproximateNumberOfMessagesDelayed,
    ].every((n) => n === "0");
  }, "the publish queue drained");
}
