/**
 * Slow writers: a file written over 10 s, a file still growing when the agent starts, and writers
 * that preallocate the full size (one of them pausing longer than the stability window). None may
 * be uploaded before it is complete.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAgent } from "../src/index.ts";
import { waitForEvents } from "./helpers/agent-events.ts";
import { jpeg, nef } from "./helpers/media.ts";
import { BUCKET, objectSha256, startS3, type TestS3 } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const MiB = 1024 * 1024;
const logger = createLogger("agent-test", { level: "SILENT" });
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms)); // paces the writers, not the assertions

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

/** Writes `bytes` in `chunks` pieces spread over `durationMs`; optionally preallocates and pauses once. */
async function slowWrite(
  path: string,
  bytes: Buffer,
  {
    durationMs,
    chunks,
    preallocate = false,
    pauseMs = 0,
  }: { durationMs: number; chunks: number; preallocate?: boolean; pauseMs?: number },
): Promise<number> {
  const handle = await open(path, "w");
  if (preallocate) await handle.truncate(bytes.length);
  const step = Math.ceil(bytes.length / chunks);
  for (let i = 0; i < chunks; i++) {
    await handle.write(bytes, i * step, Math.min(step, bytes.length - i * step), i * step);
    await handle.datasync();
    await tick(durationMs / chunks + (i === Math.floor(chunks / 2) ? pauseMs : 0));
  }
  await handle.close();
  return Date.now();
}

describe("agent: slow writers", () => {
  it("uploads nothing before it is complete", async () => {
    const { root, inbox } = await workspace("agent-slow");
    const stableMs = 1000;
    const files = {
      "over-10s.jpg": jpeg(3 * MiB),
      "growing-at-start.nef": nef(6 * MiB),
      "preallocated.jpg": jpeg(2 * MiB),
      "preallocated-paused.nef": nef(6 * MiB),
    };
    // Already growing before the agent starts.
    const early = slowWrite(join(inbox, "growing-at-start.nef"), files["growing-at-start.nef"], {
      durationMs: 4000,
      chunks: 20,
    });
    await tick(300);
    const agent = startAgent({
      inbox: [inbox],
      spoolDir: join(root, "spool"),
      s3: { client: s3.client, bucket: BUCKET },
      partSizeBytes: 5 * MiB,
      stableMs,
      scanIntervalMs: 500,
      graceMs: 20_000,
      logger,
    });
    const delivered = waitForEvents(agent, "delivered", 4, 40_000);
    const deliveredAt = new Map<string, number>();
    agent.on("delivered", (e) => deliveredAt.set(e.path, Date.now()));
    await agent.ready;
    const closedAt = await Promise.all([
      slowWrite(join(inbox, "over-10s.jpg"), files["over-10s.jpg"], { durationMs: 10_000, chunks: 40 }),
      early,
      slowWrite(join(inbox, "preallocated.jpg"), files["preallocated.jpg"], {
        durationMs: 3000,
        chunks: 12,
        preallocate: true,
      }),
      // Pauses 2.5 s (longer than stableMs) with a zero-filled tail: the format check must hold it back.
      slowWrite(join(inbox, "preallocated-paused.nef"), files["preallocated-paused.nef"], {
        durationMs: 3000,
        chunks: 12,
        preallocate: true,
        pauseMs: 2500,
      }),
    ]);
    const events = await delivered;
    Object.keys(files).forEach((name, i) => {
      const event = events.find((e) => e.path.endsWith(name));
      expect(event, name).toBeDefined();
      expect(deliveredAt.get(event?.path ?? ""), name).toBeGreaterThanOrEqual(closedAt[i] ?? Infinity);
    });
    for (const [name, bytes] of Object.entries(files)) {
      const event = events.find((e) => e.path.endsWith(name));
      expect(await objectSha256(s3.client, event?.key ?? ""), name).toBe(
        createHash("sha256").update(bytes).digest("hex"),
      );
    }
    expect(agent.status()).toMatchObject({ delivered: 4, ignored: 0, failed: 0 });
    await agent.stop();
  }, 60_000);
});
