/**
 * publish: the quota's line (issue 14). Photos deferred because the rolling publishing quota is
 * spent wait in a line ordered by arrival; as the window frees one slot at a time (the sandbox's
 * clock moved to just past each oldest post), the next photo in line is posted, promptly, and no
 * other: in arrival order, each once, never into a full window. `quotaDeferSeconds: 2` keeps the
 * line's looks short, so a photo posted out of turn shows as such rather than as a slow test.
 */

import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import type { PhotoRecord } from "../src/photo/index.ts";

const QUOTA = 5;
const PHOTOS = 12;
const WINDOW_MS = 86_400_000;
/** How soon after its slot frees a photo is posted: a few of the line's looks, far below 450 s. */
const PROMPT_MS = 15_000;

let stack: LocalStack;

beforeAll(async () => {
  stack = await testStack({ graphQuotaTotal: QUOTA, settings: { instagram: { quotaDeferSeconds: 2 } } });
});
afterAll(async () => {
  await stack?.stop();
});

const records = (ids: string[]): Promise<PhotoRecord[]> =>
  Promise.all(ids.map((id) => stack.runtime.photos.require(id)));

/** The photo ids of the sandbox's posts, in the order they were posted. */
function postedPhotoIds(): string[] {
  const { media, containers } = stack.sandbox.state;
  return [...media.values()].map(
    (m) => containers.get(m.containerId)?.imageUrl?.match(/[0-9a-f]{64}/)?.[0] ?? "?",
  );
}

/** Waits until `count` photos are posted and every other one waits (none failed). */
async function posted(ids: string[], count: number): Promise<void> {
  await waitFor(
    async () => {
      const all = await records(ids);
      const failed = all.find((p) => p.status === "failed");
      if (failed) throw new Error(`failed: ${JSON.stringify(failed.stages.publish.lastError)}`);
      const done = all.filter((p) => p.stages.publish.status === "done").length;
      return done === count && stack.sandbox.state.publishLog.length === count;
    },
    `${count} photos posted`,
    { timeoutMs: 90_000, intervalMs: 100 },
  );
}

describe("publish: the quota's line", () => {
  it(`posts the photos the spent quota deferred in arrival order, each as its slot frees`, async () => {
    const jpegs = await Promise.all(
      Array.from({ length: PHOTOS }, (_, i) => cameraJpeg({ width: 320, height: 320, seed: 14_400 + i })),
    );
    const ids: string[] = [];
    // The quota's posts a virtual minute apart, so that each leaves the window alone.
    for (const jpeg of jpegs.slice(0, QUOTA)) {
      ids.push(await uploadOriginal(stack, jpeg));
      await posted(ids, ids.length);
      stack.sandbox.clock.advance(60_000);
    }
    for (const jpeg of jpegs.slice(QUOTA)) ids.push(await uploadOriginal(stack, jpeg));
    await waitFor(
      async () => (await records(ids)).every((p) => ["waiting", "done"].includes(p.stages.publish.status)),
      "the photos past the quota waiting for it",
    );
    await posted(ids, QUOTA);
    const all = await records(ids);
    const waiting = all
      .filter((p) => p.stages.publish.status !== "done")
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((p) => p.id);
    expect(waiting).toHaveLength(PHOTOS - QUOTA);

    const lateness: number[] = [];
    for (let slot = 0; slot < waiting.length; slot++) {
      // The oldest post in the window leaves it: exactly one slot frees.
      const log = [...stack.sandbox.state.publishLog].sort((a, b) => a - b);
      const oldest = log[log.length - QUOTA] ?? 0;
      stack.sandbox.clock.advance(Math.max(0, oldest + WINDOW_MS - stack.sandbox.clock.now()));
      const freedAt = Date.now();
      await posted(ids, QUOTA + slot + 1);
      lateness.push(Date.now() - freedAt);
      expect(postedPhotoIds().at(-1), `slot ${slot} goes to photo ${slot} in line`).toBe(waiting[slot]);
    }
    console.info(`quota line: posted after its slot freed in ${lateness.join(", ")} ms`);
    for (const ms of lateness) expect(ms).toBeLessThan(PROMPT_MS);

    // Each posted once, and no 24 h window ever held more than the quota.
    expect(new Set(postedPhotoIds())).toEqual(new Set(ids));
    expect(postedPhotoIds()).toHaveLength(PHOTOS);
    const log = stack.sandbox.state.publishLog;
    for (const t of log)
      expect(log.filter((u) => u > t - WINDOW_MS && u <= t).length).toBeLessThanOrEqual(QUOTA);
  }, 300_000);
});
