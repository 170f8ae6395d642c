/**
 * publish: the drain after a renewed token (issue 14). The token expires with a burst of photos in
 * flight; each stops with `instagram_auth`; the token is renewed in the token store (as the
 * refresh job or an operator does) and `POST /retry` is called — twice at once, as an impatient
 * operator and the dashboard might. Every photo is then posted exactly once, in the order the
 * photos arrived, and as fast as the quota allows: nothing waits out a quota or rate-limit
 * deferral (`quotaDeferSeconds` keeps its default of 900 s here, so one would show).
 */
import { writeFileSync } from "node:fs";
import { sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { STAGE_SETTINGS } from "../src/settings.ts";

const TOKEN = "IGAA-token-drain-long-lived";
const DAY_MS = 86_400_000;
const PHOTOS = 30;
/**
 * Photos in flight at once: the publish mapping runs 2 invocations (AWS's maximumConcurrency in
 * infra/functions.ts, the local stack's pollers) of a batch each; among those, a container that is
 * ready sooner posts sooner.
 */
const ORDER_SLACK = 2 * STAGE_SETTINGS.publish.batchSize;

let stack: LocalStack;

beforeAll(async () => {
  stack = await testStack({
    graphTokens: [{ token: TOKEN, kind: "ig_long" }],
    settings: { instagram: { accessToken: TOKEN } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.urls.api}${path}`, { ...init, headers: { authorization: `Bearer ${stack.apiToken}` } });

/** Renews the token where the refresh job keeps it (a file in the local stack). */
function renewToken(): void {
  const store = stack.config.instagram.tokenStore;
  if (store?.type !== "file") throw new Error("the test stack keeps its token in a file");
  const accessToken = stack.sandbox.issueToken("ig_long");
  const stored = {
    accessToken,
    refreshedAt: new Date().toISOString(),
    seedHash: sha256Hex(Buffer.from(TOKEN)),
  };
  writeFileSync(store.path, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
}

/** The photo ids of the sandbox's posts, in the order they were posted. */
function postedPhotoIds(): string[] {
  const { media, containers } = stack.sandbox.state;
  return [...media.values()].map(
    (m) => containers.get(m.containerId)?.imageUrl?.match(/[0-9a-f]{64}/)?.[0] ?? "?",
  );
}

describe("publish: draining after the token is renewed", () => {
  it(`posts ${PHOTOS} photos parked by an expired token exactly once, in arrival order, once it is renewed`, async () => {
    const jpegs = await Promise.all(
      Array.from({ length: PHOTOS }, (_, i) => cameraJpeg({ width: 320, height: 320, seed: 14_000 + i })),
    );
    const ids: string[] = [];
    for (const jpeg of jpegs) ids.push(await uploadOriginal(stack, jpeg));
    stack.sandbox.clock.advance(61 * DAY_MS); // the configured 60-day token has expired

    // Every photo stops: posted before the expiry, or failed with the refusal.
    const before = await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => stack.runtime.photos.require(id)));
        const settled = all.every(
          (p) => p.stages.publish.status === "done" || p.stages.publish.lastError?.code === "instagram_auth",
        );
        return settled && all;
      },
      "every photo posted or stopped by the expired token",
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const parked = before.filter((p) => p.stages.publish.status !== "done").map((p) => p.id);
    expect(parked.length, "photos in flight when the token expired").toBeGreaterThan(PHOTOS / 2);

    renewToken();
    const renewedAt = stack.sandbox.clock.now();
    const retriedAt = Date.now();
    const answers = await Promise.all([api("/retry", { method: "POST" }), api("/retry", { method: "POST" })]);
    expect(answers.map((r) => r.status)).toEqual([202, 202]);

    await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => stack.runtime.photos.require(id)));
        const failed = all.find((p) => p.status === "failed");
        if (failed) throw new Error(`failed: ${JSON.stringify(failed.stages.publish.lastError)}`);
        return all.every((p) => p.stages.publish.status === "done");
      },
      "every photo posted after the renewal",
      // Far below a single quota deferral (450–900 s): the drain is bound by the Graph calls alone.
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const drainedMs = Date.now() - retriedAt;
    console.info(`publish drain after the renewal: ${parked.length} photos in ${drainedMs} ms`);

    const posted = postedPhotoIds();
    expect(posted, "each photo posted exactly once").toHaveLength(PHOTOS);
    expect(new Set(posted)).toEqual(new Set(ids));
    // Posted in the order they arrived (give or take the photos in flight at once).
    const afterRenewal = posted.filter((id) => parked.includes(id));
    const arrival = parked.map((id) => afterRenewal.indexOf(id));
    for (const [rank, postedAt] of arrival.entries())
      expect(Math.abs(postedAt - rank), `photo ${rank} of the parked ones`).toBeLessThan(ORDER_SLACK);

    // The two retries queued each photo once: one container each, none made for nothing.
    const containers = [...stack.sandbox.state.containers.values()].filter((c) => c.createdAt >= renewedAt);
    expect(containers).toHaveLength(parked.length);

    // Nothing more is on its way: no duplicate step left to post again.
    await waitFor(async () => {
      const q = (await (await api("/status")).json()).queues.publish;
      return q.visible + q.inFlight + q.delayed === 0;
    }, "the publish queue drained");
    expect(postedPhotoIds()).toHaveLength(PHOTOS);
  }, 300_000);
});
