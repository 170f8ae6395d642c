/**
 * convert: the original is read from S3 in one pass that hashes it on the way. An image arrives as
 * one buffer, a video as a temporary file that is gone once convert is done with it.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { mp4 } from "../../imaging/test/fixtures/mp4-writer.ts";
import { discardOriginal, readOriginal } from "../src/stages/convert/original-reader.ts";

let server: FauxqsServer;
let s3: S3Client;
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

beforeAll(async () => {
  server = await startFauxqs({ port: 0, logger: false });
  server.createBucket("media");
  s3 = new S3Client({
    region: "us-east-1",
    endpoint: server.address,
    forcePathStyle: true,
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
});

const put = (Key: string, Body: Buffer, Metadata: Record<string, string> = {}) =>
  s3.send(new PutObjectCommand({ Bucket: "media", Key, Body, Metadata }));

describe("convert: reading the original", () => {
  it("hands an image over as one buffer, with its SHA-256 and metadata", async () => {
    const data = await cameraJpeg({ width: 1600, height: 1000, seed: 41 });
    await put("originals/a.jpg", data, { "original-name": "DSC_0001.JPG" });
    const original = await readOriginal(s3, "media", "originals/a.jpg");
    expect(original).toMatchObject({ kind: "image", id: sha256(data), bytes: data.length });
    expect(original?.kind === "image" && original.data.equals(data)).toBe(true);
    expect(original?.metadata["original-name"]).toBe("DSC_0001.JPG");
  });

  it("streams a video to a temporary file, hashing it on the way, and deletes the file after", async () => {
    const data = mp4({ seconds: 12, fps: 30, width: 1080, height: 1920 });
    await put("originals/v.mp4", data);
    const original = await readOriginal(s3, "media", "originals/v.mp4");
    if (original?.kind !== "video") throw new Error(`expected a video, got ${original?.kind}`);
    expect(original).toMatchObject({ id: sha256(data), bytes: data.length, container: "mp4" });
    expect(readFileSync(original.path).equals(data)).toBe(true);
    await discardOriginal(original);
    expect(existsSync(original.path)).toBe(false);
  });

  it("answers undefined for an original deleted since its notification", async () => {
    expect(await readOriginal(s3, "media", "originals/gone.jpg")).toBeUndefined();
  });
});
