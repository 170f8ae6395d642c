/**
 * The HTTP API on the local stack: status with live checks, presigned uploads for phones, failed
 * states for bad input, and no secret in any answer.
 */
import { createHash } from "node:crypto";
import type { LocalStack } from "@photo-relay/local-stack";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

let stack: LocalStack;

beforeAll(async () => {
  stack = await testStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function call<T = Record<string, unknown>>(path: string, init: RequestInit = {}) {
  const res = await fetch(`${stack.urls.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" },
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as T };
}

describe("api", () => {
  it("reports live configuration checks, counts and queue depths, without secrets", async () => {
    const { status, text, body } = await call<{
      config: { ok: boolean; checks: Record<string, { ok: boolean }> };
      counts: Record<string, number>;
      queues: Record<string, { deadLetters: number }>;
    }>("/status");
    expect(status).toBe(200);
    expect(body.config.ok).toBe(true);
    expect(Object.keys(body.config.checks).sort()).toEqual(["dynamodb", "instagram", "s3"]);
    expect(body.counts).toEqual({
      processing: 0,
      awaiting_approval: 0,
      held: 0,
      done: 0,
      failed: 0,
      rejected: 0,
      quarantined: 0,
    });
    expect(body.queues.convert?.deadLetters).toBe(0);
    expect(text).not.toContain(stack.apiToken);
    expect(text).not.toContain(stack.config.instagram.accessToken);
  });

  it("hands a phone a presigned PUT of exactly its bytes that lands the photo in the pipeline", async () => {
    const data = await cameraJpeg({ width: 1080, height: 1350, seed: 300 });
    const sha256 = createHash("sha256").update(data).digest("hex");
    const ask = () =>
      call<{ method: string; url: string; headers: Record<string, string>; key: string }>("/uploads", {
        method: "POST",
        body: JSON.stringify({
          filename: "IMG_0042.JPG",
          size: data.length,
          contentType: "image/jpeg",
          sha256,
        }),
      });
    const { status, body } = await ask();
    expect(status).toBe(201);
    expect(body).toMatchObject({ method: "PUT", key: `originals/${sha256}.jpg` });
    const signed = new URL(body.url).searchParams.get("X-Amz-SignedHeaders")?.split(";");
    expect(signed).toEqual(
      expect.arrayContaining(["if-none-match", "x-amz-checksum-sha256", "content-length"]),
    );
    expect(new URL(body.url).searchParams.has("x-amz-checksum-sha256")).toBe(false); // a header, not a query value S3 ignores
    const { "content-length": _length, ...headers } = body.headers;
    expect((await fetch(body.url, { method: "PUT", headers, body: new Uint8Array(data) })).status).toBe(200);

    const photo = await waitForPhoto(stack, sha256, (p) => p.status === "done", "the phone photo published");
    expect(photo).toMatchObject({ source: "phone", originalName: "IMG_0042.JPG" });
    const { body: shown } = await call<PhotoRecord & { thumbnailUrl: string }>(`/photos/${sha256}`);
    expect(shown.stages.publish.mediaId).toBeDefined();
    const thumb = await fetch(shown.thumbnailUrl);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    // The same photo again: nothing to sign, and the signed PUT from before cannot overwrite it.
    expect(await ask()).toMatchObject({ status: 409, body: { error: { code: "already_there" } } });
    expect((await fetch(body.url, { method: "PUT", headers, body: new Uint8Array(data) })).status).toBe(412);
  });

  it("shares GET /photos' first page among callers within api.photosMaxAgeSeconds, and says when it was read", async () => {
    type Page = { at: string; photos: PhotoRecord[] };
    const settings = stack.publishRuntime.config.api;
    settings.photosMaxAgeSeconds = 60;
    try {
      const { body: first } = await call<Page>("/photos");
      const photo = first.photos[0] as PhotoRecord;
      expect(photo).toBeDefined();
      await stack.runtime.photos.update(photo.id, (p) => ({ ...p, originalName: "RENAMED.JPG" }));
      // Within the bound: the same read, for this caller and the next.
      const { body: again } = await call<Page>("/photos");
      expect(again.at).toBe(first.at);
      expect(again.photos.find((p) => p.id === photo.id)?.originalName).toBe(photo.originalName);
      // Another query is a read of its own, after the change.
      const { body: other } = await call<Page>("/photos?limit=10");
      expect(other.photos.find((p) => p.id === photo.id)?.originalName).toBe("RENAMED.JPG");
      settings.photosMaxAgeSeconds = 0;
      const { body: fresh } = await call<Page>("/photos");
      expect(fresh.photos.find((p) => p.id === photo.id)?.originalName).toBe("RENAMED.JPG");
      expect(Date.parse(fresh.at)).toBeGreaterThan(Date.parse(first.at));
    } finally {
      settings.photosMaxAgeSeconds = 0;
    }
  });

  it("signs nothing for a declared size over api.maxUploadBytes", async () => {
    const { status, body } = await call<{ error: { code: string; message: string } }>("/uploads", {
      method: "POST",
      body: JSON.stringify({
        filename: "huge.mov",
        size: stack.config.api.maxUploadBytes + 1,
        contentType: "video/quicktime",
        sha256: "a".repeat(64),
      }),
    });
    expect(status).toBe(413);
    expect(body.error.code).toBe("too_large");
    expect(body.error.message).toContain(String(stack.config.api.maxUploadBytes));
    expect(JSON.stringify(body)).not.toContain("X-Amz-Signature");
  });

  it("refuses a bad upload request, naming the fields", async () => {
    const { status, body } = await call<{ error: { code: string; message: string } }>("/uploads", {
      method: "POST",
      body: JSON.stringify({
        filename: "x.exe",
        size: -1,
        contentType: "application/x-msdownload",
        sha256: "nope",
      }),
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("bad_request");
    for (const field of ["size", "contentType", "sha256"]) expect(body.error.message).toContain(field);
  });

  it("records a broken image as failed with its reason, once, without retrying forever", async () => {
    const whole = await cameraJpeg({ width: 1200, height: 900, seed: 301 });
    const id = await uploadOriginal(stack, whole.subarray(0, 2000), "truncated.jpg");
    const photo = await waitForPhoto(stack, id, (p) => p.status === "failed", "failed");
    expect(photo.stages.convert.status).toBe("failed");
    expect(photo.stages.convert.attempts).toBe(1);
    expect(photo.stages.convert.lastError?.message).toBeTruthy();
    expect(photo.stages.publish.status).toBe("pending");
    const { body } = await call<{
      counts: Record<string, number>;
      queues: Record<string, { deadLetters: number }>;
    }>("/status");
    expect(body.counts.failed).toBe(1);
    expect(body.queues.convert?.deadLetters).toBe(0);
    const { status } = await call(`/photos/${id}/publish`, { method: "POST" });
    expect(status).toBe(400);
  });
});
