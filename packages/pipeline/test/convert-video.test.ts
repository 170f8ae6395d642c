/** Videos: within Instagram's Reels spec they are published as Reels; otherwise they fail naming the rule. */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { originalKey, sha256Hex } from "@photo-relay/core";
import { makeMp4 } from "@photo-relay/graph-sandbox";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack, waitForPhoto } from "../../../test/support/stack.ts";
import { mp4 } from "../../imaging/test/fixtures/mp4-writer.ts";

let stack: LocalStack;

beforeAll(async () => {
  stack = await testStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function uploadVideo(data: Buffer): Promise<string> {
  const id = sha256Hex(data);
  await stack.runtime.clients.s3.send(
    new PutObjectCommand({ Bucket: stack.config.s3.bucket, Key: originalKey(id, ".mp4"), Body: data }),
  );
  return id;
}

describe("videos", () => {
  it("publishes a video inside the Reels spec as a Reel", async () => {
    // The sandbox probes the upload down to its NAL units, as Meta would: the video needs a real H.264
    // track structure, which the sandbox's fixture has and imaging's box-only writer does not.
    const id = await uploadVideo(Buffer.from(makeMp4({ durationSeconds: 12 })));
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "the Reel published");
    expect(done).toMatchObject({ width: 1080, height: 1920 });
    const media = stack.sandbox.state.media.get(done.stages.publish.mediaId as string);
    expect(media).toMatchObject({ mediaType: "VIDEO", productType: "REELS" });
  });

  it("fails a video outside the spec, naming the rule it breaks", async () => {
    const id = await uploadVideo(mp4({ seconds: 2, fps: 30 }));
    const failed = await waitForPhoto(stack, id, (p) => p.status === "failed", "the short video refused");
    expect(failed.stages.convert.lastError).toMatchObject({
      code: "video_not_reels_ready",
      message: expect.stringContaining("duration"),
    });
    expect(failed.stages.convert.attempts).toBe(1);
  });
});
