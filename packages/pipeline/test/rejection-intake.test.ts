/**
 * The files an agent refused become visible, counted records: each report the agent writes under
 * `agents/<agentId>/rejected/` is one `rejected` record (a redelivery changes nothing), heartbeats
 * are ignored, a malformed report is dead-lettered rather than dropped, and a file refused once
 * and delivered whole later is a normal photo linked to its rejection.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { type Rejection, rejectionKey, sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { type PhotoRecord, rejectionRecordId } from "@photo-relay/pipeline/photo";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

let stack: LocalStack;
beforeAll(async () => {
  // A fatal message with no photo to record it on goes back to the queue: dead-letter it at once.
  stack = await testStack({ queueOverrides: { convert: { maxReceives: 1, visibilityTimeoutSeconds: 1 } } });
});
afterAll(async () => {
  await stack?.stop();
});

let reports = 0;
function report(
  extra: Partial<Omit<Rejection, "file">> & { file?: Partial<Rejection["file"]> } = {},
): Rejection {
  const n = ++reports;
  const { file, ...rest } = extra;
  return {
    agentId: "capture-pc",
    reportId: `r${String(n).padStart(8, "0")}`,
    at: "2024-06-01T12:00:00.000Z",
    file: { name: `DSC_${n}.JPG`, path: `card1/DSC_${n}.JPG`, bytes: 1234, ...file },
    reason: { code: "incomplete", message: "still not complete after 30 s (jpeg: no EOI marker)" },
    kept: "rejected-folder",
    ...rest,
  };
}

async function put(key: string, body: string): Promise<void> {
  await stack.runtime.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.s3.bucket,
      Key: key,
      Body: body,
      ContentType: "application/json",
    }),
  );
}

/** Waits until convert has consumed `count` notifications of `key`. */
function consumed(key: string, count: number) {
  return stack.fauxqs.spy.waitForMessages(
    (m) => m.service === "sqs" && m.queueName === "photo-relay-convert" && m.body.includes(key),
    { count, status: "consumed", timeout: 20_000 },
  );
}

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  return (await res.json()) as T;
}

describe("rejection intake", () => {
  it("records a refused file as a rejected item, counted by /status and listed by /photos?status=rejected", async () => {
    const refused = report({ file: { bytes: 48_213, sha256: sha256Hex(Buffer.from("cut short")) } });
    const key = rejectionKey(refused.agentId, refused.reportId);
    await put(key, JSON.stringify(refused));
    const id = rejectionRecordId(refused);
    const record = await waitForPhoto(stack, id, (p) => p.status === "rejected", "the rejected record");
    expect(record).toMatchObject({
      status: "rejected",
      originalName: refused.file.name,
      originalKey: key,
      bytes: 48_213,
      source: "agent",
      rejection: {
        agentId: "capture-pc",
        reportId: refused.reportId,
        reportKey: key,
        file: refused.file,
        reason: refused.reason,
        kept: "rejected-folder",
      },
      stages: { convert: { status: "failed", lastError: { code: "incomplete" } } },
    });
    expect(record.journey).toEqual([
      expect.objectContaining({
        stage: "convert",
        status: "failed",
        error: expect.objectContaining({ code: "incomplete" }),
      }),
    ]);

    const listed = await api<{ photos: PhotoRecord[] }>("/photos?status=rejected");
    expect(listed.photos.find((p) => p.id === id)?.rejection?.file.path).toBe("card1/DSC_1.JPG");
    const status = await api<{ counts: Record<string, number> }>("/status");
    expect(status.counts.rejected).toBeGreaterThanOrEqual(1);

    // S3 may notify twice (and an agent may write a report again): still one record, unchanged.
    await put(key, JSON.stringify(refused));
    await consumed(key, 2);
    expect(await stack.runtime.photos.require(id)).toEqual(record);
  });

  it("keeps a report without a hash by agent and report, and ignores heartbeats", async () => {
    const unreadable = report({ reason: { code: "unreadable", message: "EACCES" }, kept: "left-in-place" });
    await put(rejectionKey(unreadable.agentId, unreadable.reportId), JSON.stringify(unreadable));
    const heartbeat = "agents/capture-pc/heartbeat.json";
    await put(heartbeat, JSON.stringify({ agentId: "capture-pc" }));
    await consumed(heartbeat, 1);
    const record = await waitForPhoto(
      stack,
      rejectionRecordId(unreadable),
      () => true,
      "the unreadable file",
    );
    expect(record.rejection).toMatchObject({ kept: "left-in-place", reason: { code: "unreadable" } });
    const all = await api<{ photos: PhotoRecord[] }>("/photos?limit=200");
    expect(all.photos.filter((p) => p.originalKey === heartbeat)).toEqual([]);
  });

  it("dead-letters a malformed report instead of dropping it, and records nothing for it", async () => {
    const key = "agents/capture-pc/rejected/not-a-report.json";
    await put(key, '{"agentId": "capture-pc", "hello": true}');
    await stack.fauxqs.spy.waitForMessage(
      (m) => m.service === "sqs" && m.queueName === "photo-relay-convert" && m.body.includes(key),
      "dlq",
      20_000,
    );
    const forged = report({ agentId: "someone-else" });
    const misfiled = rejectionKey("capture-pc", forged.reportId); // a report filed under another agent
    await put(misfiled, JSON.stringify(forged));
    await stack.fauxqs.spy.waitForMessage(
      (m) => m.service === "sqs" && m.queueName === "photo-relay-convert" && m.body.includes(misfiled),
      "dlq",
      20_000,
    );
    expect(await stack.runtime.photos.get(rejectionRecordId(forged))).toBeUndefined();
  });

  it("links a file refused once and delivered whole later, either way round; the photo is a normal one", async () => {
    const later = await cameraJpeg({ width: 1080, height: 1080, seed: 9300 });
    const first = report({
      file: { bytes: later.length, sha256: sha256Hex(later) },
      reason: { code: "too_large", message: "over maxFileBytes" },
    });
    await put(rejectionKey(first.agentId, first.reportId), JSON.stringify(first));
    const rejectionId = rejectionRecordId(first);
    await waitForPhoto(stack, rejectionId, () => true, "the rejection");
    const photoId = await uploadOriginal(stack, later);
    const photo = await waitForPhoto(stack, photoId, (p) => p.status === "done", "the photo published");
    expect(photo.rejections).toEqual([rejectionId]);
    const rejection = await waitForPhoto(
      stack,
      rejectionId,
      (p) => p.rejection?.photoId === photoId,
      "linked",
    );
    expect(rejection.status).toBe("rejected");

    const before = await cameraJpeg({ width: 1080, height: 1080, seed: 9301 });
    const delivered = await uploadOriginal(stack, before);
    await waitForPhoto(stack, delivered, (p) => p.stages.convert.status === "done", "converted");
    const afterwards = report({ file: { bytes: before.length, sha256: delivered } });
    await put(rejectionKey(afterwards.agentId, afterwards.reportId), JSON.stringify(afterwards));
    const linked = await waitForPhoto(
      stack,
      rejectionRecordId(afterwards),
      (p) => p.rejection?.photoId === delivered,
      "linked to the earlier photo",
    );
    expect((await stack.runtime.photos.require(delivered)).rejections).toEqual([linked.id]);
  });
});
