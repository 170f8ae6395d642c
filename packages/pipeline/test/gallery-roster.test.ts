/**
 * The gallery roster (dynalite): the list a live gallery's manifest is derived from. It holds
 * 5,000 photos in 16 items well under DynamoDB's 400 KB, loads whole in 16 reads, and never lets a
 * change derived from an older photo record undo one from a newer record.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { createPhotosTable, type DynamoServer, startDynamo } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDynamoClient } from "../../../test/support/dynamo.ts";
import { GalleryRoster, ROSTER_SHARDS } from "../src/gallery/gallery-roster.ts";

let server: DynamoServer;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
let roster: GalleryRoster;
const id = (n: number) => n.toString(16).padStart(64, "0").split("").reverse().join(""); // spread over shards
const entry = (n: number) => ({
  id: id(n),
  takenAt: new Date(Date.UTC(2026, 5, 12, 18) + n * 1000).toISOString(),
  web: { width: 2048, height: 1365, type: "image/jpeg" as const },
  thumbnail: { width: 400, height: 267, type: "image/webp" as const },
});

beforeAll(async () => {
  server = await startDynamo(undefined);
  client = localDynamoClient(server.url);
  await createPhotosTable(client, "photos");
  db = DynamoDBDocumentClient.from(client);
  roster = new GalleryRoster({ db, table: "photos" });
});
afterAll(async () => {
  client.destroy();
  await server?.stop();
});

describe("gallery roster", () => {
  it("holds 5,000 photos in 16 items under 400 KB each, and lists them all", async () => {
    for (let from = 0; from < 5000; from += 500) {
      const changes = Array.from({ length: 500 }, (_, i) => ({
        id: id(from + i),
        version: 3,
        entry: entry(from + i),
      }));
      await roster.write("big", changes);
    }
    const listed = await roster.list("big");
    expect(listed).toHaveLength(5000);
    expect(listed.find((e) => e.id === id(4321))).toEqual(entry(4321));
    const sizes = await Promise.all(
      Array.from({ length: ROSTER_SHARDS }, async (_, s) => {
        const out = await db.send(
          new GetCommand({ TableName: "photos", Key: { id: `gallery#big#${s.toString(16)}` } }),
        );
        return JSON.stringify(out.Item).length;
      }),
    );
    console.info(
      JSON.stringify({ photos: 5000, shards: sizes.length, largestShardBytes: Math.max(...sizes) }),
    );
    expect(Math.max(...sizes)).toBeLessThan(100_000);
  }, 120_000);

  it("keeps the change from the newer record, whichever is written last", async () => {
    const p = entry(9001);
    // The owner took it out (record version 8) before a slow writer that read version 7 puts it in.
    await roster.write("order", [{ id: p.id, version: 8 }]);
    const refused = await roster.write("order", [{ id: p.id, version: 7, entry: p }]);
    expect([...refused]).toEqual([p.id]);
    expect(await roster.list("order")).toEqual([]);
    // Put back by a newer record: in again.
    await roster.write("order", [{ id: p.id, version: 9, entry: p }]);
    expect(await roster.list("order")).toEqual([p]);
  });

  it("marks changes pending until a manifest showing them is confirmed", async () => {
    const p = entry(9100);
    await roster.write("pending", [{ id: p.id, version: 2, entry: p }]);
    expect((await roster.load("pending")).states.get(p.id)).toEqual({
      listed: true,
      pending: true,
      version: 2,
    });
    await roster.confirm("pending", [{ id: p.id, version: 1 }]); // an older change: still pending
    expect((await roster.load("pending")).states.get(p.id)?.pending).toBe(true);
    await roster.confirm("pending", [{ id: p.id, version: 2 }]);
    expect((await roster.load("pending")).states.get(p.id)).toEqual({
      listed: true,
      pending: false,
      version: 2,
    });
  });
});
