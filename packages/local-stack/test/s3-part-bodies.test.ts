/**
 * The local S3 keeps the parts of open multipart uploads on disk only (issue 14: the stack's
 * memory grew with the agent's uploads in flight), and still completes them byte for byte.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keepPartsOnDisk } from "../src/s3-part-bodies.ts";

interface StoreLike {
  persistence: unknown;
  createBucket(name: string): void;
  createMultipartUpload(bucket: string, key: string): string;
  uploadPart(uploadId: string, partNumber: number, body: Buffer): { etag: string };
  completeMultipartUpload(
    uploadId: string,
    specs: Array<{ partNumber: number; etag: string }>,
  ): { etag: string };
  multipartUploads: Map<string, { parts: Map<number, { body: Buffer }> }>;
}

/** The emulator's own store and file persistence, as the S3 thread's server builds them. */
async function fileBackedStore(dir: string): Promise<StoreLike> {
  const dist = import.meta.resolve("fauxqs");
  const { S3Store } = await import(new URL("./s3/s3Store.js", dist).href);
  const { FileS3Persistence } = await import(new URL("./s3/fileS3Persistence.js", dist).href);
  const store = new S3Store() as StoreLike;
  store.persistence = new FileS3Persistence(dir);
  store.createBucket("media");
  return store;
}

describe("local stack: S3 multipart parts", () => {
  it("holds no part body in memory once stored, and completes from the files", async () => {
    await keepPartsOnDisk();
    const dir = mkdtempSync(join(tmpdir(), "s3-parts-"));
    const store = await fileBackedStore(dir);
    const uploadId = store.createMultipartUpload("media", "originals/a.nef");
    const bodies = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const specs = bodies.map((body, i) => ({
      partNumber: i + 1,
      etag: store.uploadPart(uploadId, i + 1, body).etag,
    }));
    const held = [...(store.multipartUploads.get(uploadId)?.parts.values() ?? [])].map((p) => p.body.length);
    expect(held).toEqual([0, 0, 0]);

    const { etag } = store.completeMultipartUpload(uploadId, specs);
    const md5s = Buffer.concat(bodies.map((b) => createHash("md5").update(b).digest()));
    expect(etag).toBe(`"${createHash("md5").update(md5s).digest("hex")}-3"`);
    const stored = readFileSync(join(dir, "buckets", "media", "objects", "originals", "a.nef.data"));
    expect(stored.equals(Buffer.concat(bodies))).toBe(true);
  });
});
