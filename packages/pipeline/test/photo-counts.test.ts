/**
 * The counts per status (one item, moved in the same transaction as each photo) stay exactly what
 * the photos say, however many consumers change the same photos at once and however often a
 * message is delivered again — and a table from before the counts is counted once, exactly, even
 * while its photos change.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { createPhotosTable, type DynamoServer, startDynamo } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDynamoClient } from "../../../test/support/dynamo.ts";
import {
  newPhoto,
  PHOTO_STATUSES,
  type PhotoStatus,
  PhotoStore,
  setStage,
  type Transition,
} from "../src/photo/index.ts";

let server: DynamoServer;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
let tables = 0;
const id = (n: number) => n.toString(16).padStart(64, "0");

beforeAll(async () => {
  server = await startDynamo(undefined);
  client = localDynamoClient(server.url);
  db = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  client.destroy();
  await server.stop();
});

async function freshStore(): Promise<PhotoStore> {
  const table = `photos-${++tables}`;
  await createPhotosTable(client, table);
  return new PhotoStore(db, table);
}

/** What the photos themselves say, read one by one. */
async function truth(store: PhotoStore, ids: string[]): Promise<Record<PhotoStatus, number>> {
  const counts = Object.fromEntries(PHOTO_STATUSES.map((s) => [s, 0])) as Record<PhotoStatus, number>;
  for (const photoId of ids) counts[(await store.require(photoId as never)).status]++;
  return counts;
}

/** Every step a photo goes through, each delivered three times, by consumers racing each other. */
function journeyOf(n: number): Transition[] {
  const steps: Transition[] = [
    setStage("convert", { status: "running" }),
    setStage("convert", { status: "done" }),
  ];
  if (n % 5 === 0) return [...steps, setStage("mirror", { status: "failed" })];
  steps.push(setStage("mirror", { status: "done" }));
  if (n % 3 === 0) return [...steps, setStage("publish", { status: "awaiting_approval" })];
  return [...steps, setStage("publish", { status: "done" })];
}

describe("photo counts", () => {
  it("stay exact under redelivery and concurrent stage changes of the same photos", async () => {
    const store = await freshStore();
    const ids = Array.from({ length: 30 }, (_, n) => id(n + 1));
    // Every notification arrives three times at once: one photo each, counted once.
    await Promise.all(
      ids.flatMap((photoId) =>
        [1, 2, 3].map(() =>
          store.ensure(newPhoto({ id: photoId as never, originalKey: "k", bytes: 1 }, new Date())),
        ),
      ),
    );
    expect(await store.countByStatus()).toMatchObject({ processing: 30, done: 0 });
    // Each photo's steps, each sent by three consumers at once, all photos together; an
    // attempts-only change (no status change) races them too.
    await Promise.all(
      ids.map(async (photoId, n) => {
        for (const step of journeyOf(n + 1)) {
          await Promise.all([
            store.update(photoId as never, step),
            store.update(photoId as never, step),
            store.update(photoId as never, step),
            store.update(photoId as never, (p) => ({ ...p, bytes: p.bytes + 1 })),
          ]);
        }
      }),
    );
    const expected = await truth(store, ids);
    expect(expected.failed).toBe(6); // the test's own check: every kind of end is reached
    expect(expected.awaiting_approval).toBe(8);
    expect(expected.done).toBe(16);
    expect(await store.countByStatus()).toEqual(expected);
    expect(await store.counts.recount()).toEqual(expected);
  });

  it("count a table from before the counts once, exactly, while its photos change", async () => {
    const store = await freshStore();
    const table = `photos-${tables}`;
    const ids = Array.from({ length: 40 }, (_, n) => id(1000 + n));
    // Written as an older version did: photos only, no counts item.
    for (const photoId of ids) {
      const photo = newPhoto({ id: photoId as never, originalKey: "k", bytes: 1 }, new Date());
      await db.send(new PutCommand({ TableName: table, Item: photo }));
    }
    const first = store.countByStatus();
    const changes = Promise.all(
      ids.slice(0, 20).map((p) => store.update(p as never, setStage("convert", { status: "failed" }))),
    );
    const [, counted] = await Promise.all([changes, first]);
    expect(counted.processing + counted.failed).toBe(40);
    // Whatever the first read met, from now on the item holds the exact counts.
    expect(await store.countByStatus()).toEqual(await truth(store, ids));
    await store.update(ids[30] as never, setStage("convert", { status: "failed" }));
    expect(await store.countByStatus()).toMatchObject({ processing: 19, failed: 21 });
    const items = await db.send(new ScanCommand({ TableName: table, ConsistentRead: true }));
    expect(items.Items?.filter((i) => String(i.id).startsWith("setting:"))).toHaveLength(1);
  });
});
