/**
 * Bursts in the Photos table (dynalite): frames of one camera placed by many writers at once land
 * in one burst, a burst is decided once and only after it settled, and a frame that joins in
 * between undoes nothing: the decision waits for it.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { createPhotosTable, type DynamoServer, startDynamo } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDynamoClient } from "../../../test/support/dynamo.ts";
import { BurstStore } from "../src/bursts/burst-store.ts";

let server: DynamoServer;
let client: DynamoDBClient;
let db: DynamoDBDocumentClient;
let clock = Date.parse("2026-06-12T18:00:00Z");
const now = () => new Date(clock);
const id = (n: number) => n.toString(16).padStart(64, "0");
const RULES = { gapMs: 1500, maxDistance: 14 };
const POLICY = { policy: "best-of-burst" as const, n: 3 };
const member = (score: number, at: number) => ({
  score,
  sharpness: score,
  motion: 0,
  exposure: 1,
  at,
  joinedAt: clock,
});

beforeAll(async () => {
  server = await startDynamo(undefined);
  client = localDynamoClient(server.url);
  await createPhotosTable(client, "photos");
  db = DynamoDBDocumentClient.from(client);
});
afterAll(async () => {
  client.destroy();
  await server?.stop();
});

type Shot = { n: number; at: number; score: number };

/** One writer per frame, as one convert invocation per photo would be, `together` at a time. */
async function joinAtOnce(store: BurstStore, camera: string, frames: Shot[], together = frames.length) {
  const join = async ({ n, at, score }: Shot) => {
    const placed = await new BurstStore({ db, table: "photos" }, now).place(
      camera,
      { photoId: id(n), at, hash: "f0f0f0f0f0f0f0f0" },
      RULES,
    );
    await store.join(placed, member(score, at), camera, POLICY);
    return placed;
  };
  const placed = [];
  for (let i = 0; i < frames.length; i += together)
    placed.push(...(await Promise.all(frames.slice(i, i + together).map(join))));
  return placed;
}

describe("burst store", () => {
  it("puts twelve frames finished four at a time into one burst, with one lead", async () => {
    const store = new BurstStore({ db, table: "photos" }, now);
    // Shuffled within each four: convert invocations finish in any order. (Frames arriving with
    // more than the gap's worth of their neighbours still missing would open a burst of their own.)
    const frames = [2, 0, 3, 1, 5, 7, 4, 6, 9, 8, 11, 10].map((i) => ({
      n: 100 + i,
      at: i * 250,
      score: 0.3,
    }));
    const placed = await joinAtOnce(store, "D800#1", frames, 4);
    const bursts = new Set(placed.map((p) => p.frame.burstId));
    expect(bursts.size).toBe(1);
    const leads = new Set(placed.map((p) => p.lead));
    expect(leads.size).toBe(1);
    const burst = await store.require([...bursts][0] as string);
    expect(Object.keys(burst.members)).toHaveLength(12);
    expect(placed.filter((p) => p.frame.lead).map((p) => p.frame.photoId)).toEqual([burst.lead]);
  });

  it("keeps another camera's frames shot at the same moment apart", async () => {
    const store = new BurstStore({ db, table: "photos" }, now);
    const [a] = await joinAtOnce(store, "D800#2", [{ n: 200, at: 0, score: 0.5 }]);
    const [b] = await joinAtOnce(store, "D800#3", [{ n: 201, at: 0, score: 0.5 }]);
    expect(a?.frame.burstId).not.toBe(b?.frame.burstId);
  });

  it("decides once it settled, picking the best frame; a frame joining first makes it wait", async () => {
    const store = new BurstStore({ db, table: "photos" }, now);
    const [first] = await joinAtOnce(store, "D800#4", [
      { n: 300, at: 0, score: 0.4 },
      { n: 301, at: 250, score: 0.6 },
    ]);
    const burstId = first?.frame.burstId as string;
    clock += 9_000;
    expect((await store.decide(burstId, 10_000)).decision).toBeUndefined();
    // A frame joins just before the settle time: the clock starts again from it.
    await joinAtOnce(store, "D800#4", [{ n: 302, at: 500, score: 0.8 }]);
    clock += 2_000;
    expect((await store.decide(burstId, 10_000)).decision).toBeUndefined();
    clock += 8_000;
    const decisions = await Promise.all(Array.from({ length: 6 }, () => store.decide(burstId, 10_000)));
    const decided = new Set(decisions.map((b) => JSON.stringify(b.decision)));
    expect(decided.size).toBe(1);
    expect(decisions[0]?.decision).toMatchObject({ picks: [id(302)], by: "score" });
  });

  it("decides with the owner's picks when the owner chose before the burst settled", async () => {
    const store = new BurstStore({ db, table: "photos" }, now);
    const [first] = await joinAtOnce(store, "D800#5", [
      { n: 400, at: 0, score: 0.9 },
      { n: 401, at: 250, score: 0.2 },
    ]);
    const burstId = first?.frame.burstId as string;
    await store.update(burstId, (b) => ({ ...b, ownerPicks: [id(401)] }));
    clock += 60_000;
    expect((await store.decide(burstId, 10_000)).decision).toMatchObject({ picks: [id(401)], by: "owner" });
  });
});
