/**
 * publish: beyond the feed image — a Reel (video_url, share_to_feed), a story, and a carousel of
 * 2–10 photos (items first, then the carousel container), each published exactly once.
 */

import { PutObjectCommand } from "@aws-sdk/client-s3";
import { makeMp4 } from "@photo-relay/graph-sandbox";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { publishCarousel, publishStory, publishVideo, requestPublish } from "../src/operations/index.ts";

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
});
