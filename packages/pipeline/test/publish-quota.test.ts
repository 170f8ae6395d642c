/**
 * publish: the rolling publishing quota (content_publishing_limit). A burst larger than the quota
 * is spread over the windows — everything is published once, nothing fails, and no 24 h window
 * holds more posts than the quota. The sandbox's virtual clock rolls the windows; deferred steps
 * come back after one or two seconds (`quotaDeferSeconds: 1`).
 */

import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import type { PhotoRecord } from "../src/photo/index.ts";

const QUOTA = 50;
const BURST = 120;
const WINDOW_MS = 86_400_000;

let stack: LocalStack;

beforeAll(async () => {
  stack = await testStack({ graphQuotaTotal: QUOTA, settings: { instagram: { quotaDeferSeconds: 1 } } });
});
afterAll(async () => {
  await stack?.stop();
});

async function photos(ids: string[]): Promise<PhotoRecord[]> {
  return Promise.all(ids.map((id) => stack.runtime.photos.require(id)));
}

/** Waits until `published` posts are out and every other photo waits for the quota (none failed). */
async function settled(ids: string[], published: number): Promise<PhotoRecord[]> {
  return waitFor(
    async () => {
      const all = await photos(ids);
      const failed = all.filter((p) => p.status === "failed");
      if (failed.length) throw new Error(`failed: ${JSON.stringify(failed[0]?.stages.publish.lastError)}`);
      const done = all.filter((p) => p.stages.publish.status === "done").length;
      const waiting = all.filter((p) => p.stages.publish.status === "waiting").length;
      return done === published && waiting === ids.length - published && all;
    },
    `${published} published and ${ids.length - published} waiting for the quota`,
    { timeoutMs: 90_000, intervalMs: 300 },
  );
}

describe("publish: quota", () => {
  it(`spreads a burst of ${BURST} photos over the rolling window of a ${QUOTA}-post quota, failing none`, async () => {
    const ids: string[] = [];
    for (let seed = 0; seed < BURST; seed += 20) {
      const batch = await Promise.all(
        Array.from({ length: 20 }, (_, i) => cameraJpeg({ width: 320, height: 320, seed: 5000 + seed + i })),
      );
      ids.push(...(await Promise.all(batch.map((jpeg) => uploadOriginal(stack, jpeg)))));
    }

    await settled(ids, QUOTA);
    expect((await stack.publishRuntime.graph.getPublishingLimit()).quotaUsage).toBe(QUOTA);
    stack.sandbox.clock.advance(WINDOW_MS);
    await settled(ids, 2 * QUOTA);
    stack.sandbox.clock.advance(WINDOW_MS);
    const all = await settled(ids, BURST);

    const log = stack.sandbox.state.publishLog;
    expect(log).toHaveLength(BURST);
    for (const t of log)
      expect(log.filter((u) => u > t - WINDOW_MS && u <= t).length).toBeLessThanOrEqual(QUOTA);
    expect(new Set(all.map((p) => p.stages.publish.mediaId)).size).toBe(BURST);
  }, 240_000);
});

describe("publish: quota in manual mode", () => {
  let manual: LocalStack;
  beforeAll(async () => {
    manual = await testStack({
      publishMode: "manual",
      graphQuotaTotal: 2,
      settings: { instagram: { quotaDeferSeconds: 1 } },
    });
  });
  afterAll(async () => {
    await manual?.stop();
  });

  it("POST /publish counts what goes now as published and what waits for the quota as deferred", async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(async (i) =>
        uploadOriginal(manual, await cameraJpeg({ width: 320, height: 320, seed: 7700 + i })),
      ),
    );
    await waitFor(
      async () =>
        (await Promise.all(ids.map((id) => manual.runtime.photos.require(id)))).every(
          (p) => p.status === "awaiting_approval",
        ),
      "three photos awaiting approval",
    );
    const res = await fetch(`${manual.urls.api}/publish`, {
      method: "POST",
      headers: { authorization: `Bearer ${manual.apiToken}` },
    });
    expect(await res.json()).toEqual({ found: 3, published: 2, deferred: 1, ignored: 0, failed: 0 });
    await waitFor(() => manual.sandbox.state.publishLog.length === 2 || undefined, "two posts");
    manual.sandbox.clock.advance(WINDOW_MS);
    for (const id of ids) {
      await waitFor(async () => (await manual.runtime.photos.require(id)).status === "done", "all published");
    }
    expect(manual.sandbox.state.publishLog).toHaveLength(3);
  });
});
