/**
 * A photo id cannot be forged past convert: an upload whose bytes do not hash to the id its key
 * claims (one that slipped past S3's checks, e.g. an unsigned PutObject) is quarantined with a
 * clear state, removed from `originals/` so the genuine photo can still be uploaded, and the
 * claimed id's record is never created or touched.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { originalKey, sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { type PhotoRecord, quarantineRecordId } from "@photo-relay/pipeline/photo";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** Puts `body` under the key of photo `claimedId`, as a direct (unsigned, unchecked) PutObject would. */
async function putUnder(claimedId: string, body: Buffer): Promise<string> {
  const key = originalKey(claimedId, ".jpg");
  await stack.runtime.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.s3.bucket,
      Key: key,
      Body: body,
      Metadata: { "original-name": "forged.jpg", source: "phone" },
    }),
  );
  return key;
}

async function exists(key: string): Promise<boolean> {
  return stack.runtime.clients.s3
    .send(new HeadObjectCommand({ Bucket: stack.config.s3.bucket, Key: key }))
    .then(
      () => true,
      () => false,
    );
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  return (await res.json()) as T;
}

describe("convert: forged photo ids", () => {
  it("quarantines other bytes under a photo's id, and the genuine photo still arrives under it", async () => {
    const genuine = await cameraJpeg({ width: 1080, height: 1080, seed: 9200 });
    const forged = await cameraJpeg({ width: 1080, height: 1080, seed: 9201 });
    const claimed = sha256Hex(genuine);
    const key = await putUnder(claimed, forged);

    const recordId = quarantineRecordId(key, sha256Hex(forged));
    const record = await waitForPhoto(stack, recordId, (p) => p.status === "quarantined", "quarantined");
    const quarantineKey = `quarantine/${sha256Hex(forged)}.jpg`;
    expect(record).toMatchObject({
      status: "quarantined",
      originalKey: quarantineKey,
      originalName: "forged.jpg",
      bytes: forged.length,
      quarantine: { claimedId: claimed, actualId: sha256Hex(forged), uploadKey: key, quarantineKey },
      stages: { convert: { status: "failed", lastError: { code: "id_mismatch" } } },
    });
    expect(record.stages.convert.lastError?.message).toContain(`claimed photo ${claimed}`);
    expect(record.renditions).toBeUndefined();
    // The record is written before the upload is deleted (copy, record, delete), so the delete may
    // still be on its way when the record shows.
    await vi.waitFor(async () => expect(await exists(key)).toBe(false), { timeout: 10_000, interval: 100 });
    const kept = await stack.runtime.clients.s3.send(
      new GetObjectCommand({ Bucket: stack.config.s3.bucket, Key: quarantineKey }),
    );
    expect(Buffer.from(await (kept.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(forged);
    expect(await stack.runtime.photos.get(claimed)).toBeUndefined();
    expect(await stack.runtime.photos.get(sha256Hex(forged))).toBeUndefined();

    const listed = await api<{ photos: { id: string }[] }>("/photos?status=quarantined");
    expect(listed.photos.map((p) => p.id)).toContain(recordId);
    const status = await api<{ counts: Record<string, number> }>("/status");
    expect(status.counts.quarantined).toBeGreaterThanOrEqual(1);

    expect(await uploadOriginal(stack, genuine)).toBe(claimed);
    const photo = await waitForPhoto(
      stack,
      claimed,
      (p) => p.status === "done",
      "the genuine photo published",
    );
    expect(photo.originalKey).toBe(key);
  });

  it("never touches the claimed photo's record, even when the forgery overwrote its original", async () => {
    const genuine = await cameraJpeg({ width: 1080, height: 1080, seed: 9202 });
    const forged = await cameraJpeg({ width: 1080, height: 1080, seed: 9203 });
    const claimed = await uploadOriginal(stack, genuine);
    // The permalink is the last write of a published photo.
    const published = (p: PhotoRecord) => p.status === "done" && p.stages.publish.permalink !== undefined;
    const before = await waitForPhoto(stack, claimed, published, "published");
    const key = await putUnder(claimed, forged);
    await waitForPhoto(stack, quarantineRecordId(key, sha256Hex(forged)), () => true, "quarantined");
    expect(await stack.runtime.photos.require(claimed)).toEqual(before);
  });
});
