/**
 * Every phone video a Reel, through the local stack: convert hashes and probes the video, the reel
 * stage makes it a Reel (passthrough, or a transcode with the bundled ffmpeg) with a cover, and
 * publish sends both to the Graph API sandbox, which downloads the video and probes it against
 * Meta's Reels spec before it lets the container finish. The clips are made by the same ffmpeg.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { originalKey, reelKeys, sha256Hex } from "@photo-relay/core";
import type { Container } from "@photo-relay/graph-sandbox";
import type { LocalStack } from "@photo-relay/local-stack";
import { redrivePhoto } from "@photo-relay/pipeline/api";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack, waitForPhoto } from "../../../test/support/stack.ts";
import { corruptMediaData, type PhoneClip, phoneClip } from "../../video/test/fixtures/phone-clips.ts";

let stack: LocalStack;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "video-reels-"));
  stack = await testStack();
});
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Puts the file into `originals/` as the upload page would; S3's notification starts the pipeline. */
async function upload(target: LocalStack, path: string): Promise<string> {
  const data = await readFile(path);
  const id = sha256Hex(data);
  await target.runtime.clients.s3.send(
    new PutObjectCommand({
      Bucket: target.config.s3.bucket,
      Key: originalKey(id, extname(path).toLowerCase()),
      Body: data,
      Metadata: { "original-name": path.split("/").at(-1) ?? "video", source: "test" },
    }),
  );
  return id;
}

/** Waits for the photo to be posted; returns it with the sandbox's container of its Reel. */
async function posted(id: string): Promise<{ photo: PhotoRecord; container: Container }> {
  const photo = await waitForPhoto(
    stack,
    id,
    (p) => p.status === "done" || p.status === "failed",
    "the video posted or failed",
    120_000,
  );
  expect(photo.status, JSON.stringify(photo.stages.convert.lastError ?? photo.stages.publish)).toBe("done");
  const container = stack.sandbox.state.containers.get(photo.stages.publish.containerId ?? "");
  const media = stack.sandbox.state.media.get(photo.stages.publish.mediaId ?? "");
  expect(media).toMatchObject({ mediaType: "VIDEO", productType: "REELS" });
  if (!container) throw new Error("the sandbox has no container for the Reel");
  // The sandbox downloaded the video and probed it down to its NAL units before it finished.
  expect(container).toMatchObject({ kind: "REELS", videoProbe: { ok: true, faststart: true } });
  const cover = await fetch(container.coverUrl ?? "");
  expect([...new Uint8Array(await cover.arrayBuffer()).subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  return { photo, container };
}

describe("videos: every phone video a Reel", () => {
  it.each<[PhoneClip, string]>([
    ["hevc_hdr_pq", "hdr"],
    ["uhd_60fps", "width"],
    ["rotated", "rotation"],
    ["variable_frame_rate", "frame_rate"],
    ["audioless_hevc", "video_codec"],
  ])("transcodes %s (%s) and publishes the Reel with its cover", async (clip, rule) => {
    const id = await upload(stack, await phoneClip(clip, dir));
    const { photo, container } = await posted(id);
    const reel = photo.video?.reel;
    expect(reel).toMatchObject({ kind: "transcoded", ...reelKeys(id) });
    expect(reel?.reasons.map((r) => r.split(":")[0])).toContain(rule);
    expect(reel?.probe).toMatchObject({ videoCodec: "h264", bitDepth: 8 });
    expect(reel?.probe.width).toBeLessThanOrEqual(1920);
    expect(photo.stages.publish.media).toMatchObject({ kind: "reel", ...reelKeys(id) });
    expect(container.videoProbe).toMatchObject({ video: { entry: "avc1", closedGops: true } });
    expect(container.videoUrl).toContain(reelKeys(id).videoKey);
  });

  it("passes a video within the spec through: Meta downloads the original itself", async () => {
    const path = await phoneClip("in_spec", dir);
    const id = await upload(stack, path);
    const { photo, container } = await posted(id);
    expect(photo.video?.reel).toMatchObject({
      kind: "passthrough",
      videoKey: photo.originalKey,
      coverKey: reelKeys(id).coverKey,
      reasons: [],
    });
    expect(container.videoUrl).toContain(photo.originalKey);
    expect(photo.stages.convert.attempts).toBe(1);
  });

  const corpus = process.env.MEDIA_CORPUS;
  it.skipIf(!corpus).each([
    ["video/ipad-mini_hevc-aac_gps.mov", 720, 1280],
    ["video/android_h264-aac_1080p_gps.mp4", 1920, 1080],
  ])("publishes the real %s as a Reel, without its GPS position", async (file, width, height) => {
    const id = await upload(stack, join(corpus ?? "", file));
    const { photo } = await posted(id);
    expect(photo.video?.reel).toMatchObject({ kind: "transcoded", probe: { width, height } });
    expect(photo.video?.reel?.reasons.map((r) => r.split(":")[0])).toContain("location");
  });
});

describe("videos: what cannot become a Reel fails with its reason", () => {
  it("records a video whose media data does not decode as failed, naming ffmpeg's reason", async () => {
    const bad = await corruptMediaData(await phoneClip("in_spec", dir), join(dir, "zeroed.mp4"));
    const id = await upload(stack, bad);
    const failed = await waitForPhoto(stack, id, (p) => p.status === "failed", "the corrupt video refused");
    expect(failed.stages.convert).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: {
        code: "corrupt_video",
        message: expect.stringMatching(/cannot be decoded: .*Invalid data/),
      },
    });
    expect(failed.stages.publish.status).toBe("pending");
    expect(failed.journey.at(-1)).toMatchObject({ stage: "convert", status: "failed" });
  });

  it("refuses up front a video the function could not finish in time, and makes it on a retry", async () => {
    const data = join(dir, "short-timeout");
    // A reel function with 22 s: less than the 20 s it keeps for the record plus the upload the
    // transcode would need, so the video is refused before ffmpeg starts, whatever this machine's speed.
    const short = await testStack({ dataDir: data, queueOverrides: { reel: { timeoutSeconds: 22 } } });
    let id: string;
    try {
      id = await upload(short, await phoneClip("long", dir));
      const failed = await waitForPhoto(short, id, (p) => p.status === "failed", "the video refused");
      expect(failed.stages.convert.lastError).toMatchObject({
        code: "over_deadline",
        message: "this run has no time left for a transcode",
      });
    } finally {
      await short.stop();
    }
    // The same data with the function's real timeout: the owner's retry makes the Reel.
    const full = await testStack({ dataDir: data });
    try {
      expect(await redrivePhoto(full.runtime, id)).toEqual({ redriven: ["convert"] });
      const done = await waitForPhoto(
        full,
        id,
        (p) => p.status === "done",
        "the retried video posted",
        120_000,
      );
      expect(done.video?.reel).toMatchObject({ kind: "transcoded" });
      expect(done.stages.convert.attempts).toBe(2);
    } finally {
      await full.stop();
    }
  });
});
