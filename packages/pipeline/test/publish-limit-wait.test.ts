/**
 * publish: a photo Instagram's limits hold says so (issue 14). Past the container limit (code 9 on
 * `create` while the publishing quota has room) and past the publishing quota, the photo's publish
 * stage waits, naming the limit and when its step looks again, so that whoever reads the record at
 * the end of an event (the soak's checks, the dashboard) sees a photo deferred by Instagram, not a
 * photo lost half-way. Once the window frees (the sandbox's clock a day on), each is posted once.
 */

import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import type { PhotoRecord } from "../src/photo/index.ts";

const DAY_MS = 86_400_000;

const records = (stack: LocalStack, ids: string[]): Promise<PhotoRecord[]> =>
  Promise.all(ids.map((id) => stack.runtime.photos.require(id)));

/** Uploads `count` photos and waits until `posted` of them are posted and the rest wait for a limit. */
async function uploadAndSettle(stack: LocalStack, count: number, posted: number, seed: number) {
  const jpegs = await Promise.all(
    Array.from({ length: count }, (_, i) => cameraJpeg({ width: 320, height: 320, seed: seed + i })),
  );
  const ids: string[] = [];
  for (const jpeg of jpegs) ids.push(await uploadOriginal(stack, jpeg));
  const all = await waitFor(
    async () => {
      const all = await records(stack, ids);
      const failed = all.find((p) => p.status === "failed");
      if (failed) throw new Error(`failed: ${JSON.stringify(failed.stages.publish.lastError)}`);
      const done = all.filter((p) => p.stages.publish.status === "done").length;
      const held = all.filter((p) => p.stages.publish.status === "waiting" && p.stages.publish.waitingFor);
      return done === posted && held.length === count - posted && all;
    },
    `${posted} posted, ${count - posted} waiting for a limit`,
    { timeoutMs: 60_000, intervalMs: 200 },
  );
  return { ids, held: all.filter((p) => p.stages.publish.status !== "done") };
}

describe("publish: waiting for Instagram's limits", () => {
  describe("the container limit", () => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await testStack({ graphContainerLimit: 2, settings: { instagram: { quotaDeferSeconds: 2 } } });
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it("records that the photos past it wait for containers, and until when; posts them once it frees", async () => {
      const before = Date.now();
      const { ids, held } = await uploadAndSettle(stack, 4, 2, 14_700);
      for (const p of held) {
        expect(p.stages.publish.containerId).toBeUndefined();
        expect(p.stages.publish.waitingFor?.limit).toBe("containers");
        const until = Date.parse(p.stages.publish.waitingFor?.until ?? "");
        expect(until).toBeGreaterThan(before);
        expect(until).toBeLessThanOrEqual(Date.now() + 2_000);
      }
      stack.sandbox.clock.advance(DAY_MS);
      await waitFor(
        async () => (await records(stack, ids)).every((p) => p.stages.publish.status === "done"),
        "every photo posted once the container window freed",
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      expect(stack.sandbox.state.media.size).toBe(4);
    }, 120_000);
  });

  describe("the publishing quota", () => {
    let stack: LocalStack;
    beforeAll(async () => {
      stack = await testStack({ graphQuotaTotal: 2, settings: { instagram: { quotaDeferSeconds: 2 } } });
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it("records that the photos past it wait for the quota, and until when", async () => {
      const before = Date.now();
      const { held } = await uploadAndSettle(stack, 4, 2, 14_800);
      for (const p of held) {
        expect(p.stages.publish.waitingFor?.limit).toBe("quota");
        expect(Date.parse(p.stages.publish.waitingFor?.until ?? "")).toBeGreaterThan(before);
      }
    }, 120_000);
  });
});
