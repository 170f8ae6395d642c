import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareReel, probeReel } from "../src/index.ts";
import { phoneClip } from "./fixtures/phone-clips.ts";

const bucket = "media";
let server: FauxqsServer;
let s3: S3Client;
let dir: string;
let workDir: string;

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  server.createBucket(bucket);
  s3 = new S3Client({
    endpoint: server.address,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  dir = await mkdtemp(join(tmpdir(), "video-s3-"));
  workDir = await mkdtemp(join(tmpdir(), "video-work-"));
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  await Promise.all([dir, workDir].filter(Boolean).map((d) => rm(d, { recursive: true, force: true })));
});

async function original(kind: Parameters<typeof phoneClip>[0], key: string): Promise<Buffer> {
  const body = await readFile(await phoneClip(kind, dir));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return body;
}

async function download(key: string, to: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await writeFile(
    to,
    await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
  return to;
}

const output = (id: string) => ({
  bucket,
  videoKey: `renditions/${id}/reel.mp4`,
  coverKey: `renditions/${id}/cover.jpg`,
});

describe("video: prepareReel streams from S3 to S3", () => {
  it("transcodes an HDR HEVC original into a Reel and a cover in the bucket, and leaves no temp files", async () => {
    await original("hevc_hdr_pq", "originals/hdr.mov");
    const reel = await prepareReel({
      s3,
      input: { bucket, key: "originals/hdr.mov" },
      output: output("hdr"),
      deadlineMs: 600_000,
      workDir,
    });
    expect(reel).toMatchObject({
      kind: "transcoded",
      video: { bucket, key: "renditions/hdr/reel.mp4" },
      cover: { key: "renditions/hdr/cover.jpg" },
    });
    const stored = await probeReel(await download(reel.video.key, join(dir, "stored.mp4")));
    expect(stored).toMatchObject({
      videoCodec: "h264",
      bitDepth: 8,
      faststart: true,
      sizeBytes: reel.video.bytes,
    });
    const cover = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: reel.cover.key }));
    expect(cover).toMatchObject({ ContentType: "image/jpeg", ContentLength: reel.cover.bytes });
    expect(await readdir(workDir)).toEqual([]);
  });

  it("publishes a passthrough from the original's own key, uploading only the cover", async () => {
    const bytes = await original("in_spec", "originals/ok.mp4");
    const reel = await prepareReel({
      s3,
      input: { bucket, key: "originals/ok.mp4" },
      output: output("ok"),
      deadlineMs: 600_000,
      workDir,
    });
    expect(reel).toMatchObject({
      kind: "passthrough",
      video: { bucket, key: "originals/ok.mp4", bytes: bytes.length },
    });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "renditions/ok/reel.mp4" })),
    ).rejects.toThrow();
    expect(
      (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "renditions/ok/cover.jpg" })))
        .ContentLength,
    ).toBeGreaterThan(0);
  });

  it("refuses an original larger than the temp budget before downloading it", async () => {
    const bytes = await original("moov_at_end", "originals/big.mp4");
    const error = await prepareReel({
      s3,
      input: { bucket, key: "originals/big.mp4" },
      output: output("big"),
      deadlineMs: 600_000,
      workDir,
      tmpBudgetBytes: bytes.length,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "over_disk_budget", message: expect.stringMatching(/temp space/) });
    expect(await readdir(workDir)).toEqual([]);
  });

  it("refuses a transcode whose Reel would not fit the temp budget, before transcoding", async () => {
    const bytes = await original("long", "originals/long.mov");
    const error = await prepareReel({
      s3,
      input: { bucket, key: "originals/long.mov" },
      output: output("long"),
      deadlineMs: 600_000,
      workDir,
      // Room for the original and the cover, not for a Reel at its bitrate cap.
      tmpBudgetBytes: bytes.length + 11 * 1024 * 1024,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "over_disk_budget", message: expect.stringMatching(/and its Reel/) });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "renditions/long/reel.mp4" })),
    ).rejects.toThrow();
  });
});
