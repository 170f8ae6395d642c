/** The Photos table: concurrent writers never overwrite each other, and the summary follows the stages. */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createPhotosTable, type DynamoServer, startDynamo } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDynamoClient } from "../../../test/support/dynamo.ts";
import {
  newPhoto,
  newQuarantinedRecord,
  newRejectedRecord,
  PhotoStore,
  rejectionRecordId,
  setStage,
  statusOf,
  summarize,
} from "../src/photo/index.ts";

let server: DynamoServer;
let store: PhotoStore;
let client: DynamoDBClient;
const id = (n: number) => n.toString(16).padStart(64, "0");

beforeAll(async () => {
  server = await startDynamo(undefined);
  client = localDynamoClient(server.url);
  await createPhotosTable(client, "photos");
  store = new PhotoStore(DynamoDBDocumentClient.from(client), "photos");
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

describe("photo store", () => {
  it("creates a photo once; a second ensure returns the stored record", async () => {
    const first = await store.ensure(
      newPhoto({ id: id(1), originalKey: "originals/a.jpg", bytes: 1 }, new Date()),
    );
    const again = await store.ensure(
      newPhoto({ id: id(1), originalKey: "originals/other.jpg", bytes: 2 }, new Date()),
    );
    expect(again.originalKey).toBe(first.originalKey);
  });

  it("applies concurrent transitions one after another, losing none", async () => {
    await store.ensure(newPhoto({ id: id(2), originalKey: "originals/b.jpg", bytes: 1 }, new Date()));
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store.update(id(2), (p) => ({
          ...p,
          stages: { ...p.stages, mirror: { ...p.stages.mirror, attempts: p.stages.mirror.attempts + 1 } },
        })),
      ),
    );
    const photo = await store.require(id(2));
    expect(photo.stages.mirror.attempts).toBe(8);
    expect(photo.version).toBe(8);
  });

  it("derives the summary status from the stages, and lists and counts by it", async () => {
    await store.ensure(newPhoto({ id: id(3), originalKey: "originals/c.jpg", bytes: 1 }, new Date()));
    await store.update(id(3), setStage("convert", { status: "done" }));
    await store.update(id(3), setStage("mirror", { status: "skipped" }));
    const done = await store.update(id(3), setStage("publish", { status: "done" }));
    expect(done.status).toBe("done");
    expect(done.journey.map((e) => `${e.stage}:${e.status}`)).toEqual([
      "convert:done",
      "mirror:skipped",
      "publish:done",
    ]);
    await store.update(id(1), setStage("convert", { status: "failed" }));
    expect((await store.list({ status: "done" })).photos.map((p) => p.id)).toEqual([id(3)]);
    expect(await store.countByStatus()).toEqual({
      processing: 1,
      awaiting_approval: 0,
      held: 0,
      done: 1,
      failed: 1,
      rejected: 0,
      quarantined: 0,
    });
    expect((await store.list()).photos[0]?.id).toBe(id(1)); // most recently changed first
  });

  it("keeps a refused file's own status whatever its stages say", () => {
    const at = new Date("2026-01-01T00:00:00.000Z");
    const report = {
      agentId: "pc",
      reportId: "r0000001",
      at: at.toISOString(),
      file: { name: "a.txt", path: "a.txt", bytes: 3 },
      reason: { code: "unknown_kind" as const, message: "not a photo" },
      kept: "rejected-folder" as const,
    };
    const rejected = newRejectedRecord(report, "agents/pc/rejected/r0000001.json", at);
    expect([rejected.status, statusOf(rejected), summarize(rejected.stages)]).toEqual([
      "rejected",
      "rejected",
      "failed",
    ]);
    const quarantined = newQuarantinedRecord(
      {
        claimedId: id(5),
        actualId: id(6),
        uploadKey: "originals/x.jpg",
        quarantineKey: "quarantine/y.jpg",
        at: "",
      },
      1,
      undefined,
      "phone",
      at,
    );
    expect(statusOf(quarantined)).toBe("quarantined");
    // Ids no photo's bytes can take: neither the refused bytes' own id nor the claimed one.
    expect(rejectionRecordId({ ...report, file: { ...report.file, sha256: id(7) } })).not.toBe(id(7));
    expect(quarantined.id).not.toBe(id(5));
    expect(quarantined.id).not.toBe(id(6));
  });

  it("summarises: any failed stage fails the photo; approval shows once mirrored", () => {
    const stages = newPhoto({ id: id(9), originalKey: "k", bytes: 1 }, new Date()).stages;
    const at = "2026-01-01T00:00:00.000Z";
    expect(summarize(stages)).toBe("processing");
    const approval = {
      convert: { status: "done" as const, attempts: 1, updatedAt: at },
      mirror: { status: "done" as const, attempts: 1, updatedAt: at },
      publish: { status: "awaiting_approval" as const, attempts: 0, updatedAt: at },
    };
    expect(summarize(approval)).toBe("awaiting_approval");
    expect(summarize({ ...approval, mirror: { ...approval.mirror, status: "failed" } })).toBe("failed");
  });
});
