/**
 * publish: the Instagram token's life. The refresh job renews a long-lived token before it expires
 * and stores it (a file in the local stack); the pipeline picks the new one up; an expired token
 * stops publishing with `instagram_auth` and `/status` says so — no retry loop. The sandbox's
 * virtual clock runs the 24 h refresh floor and the 60-day lifetime.
 */

import { readFileSync } from "node:fs";
import type { TokenStatus } from "@photo-relay/instagram";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";

const TOKEN = "IGAA-token-test-long-lived";
const DAY_MS = 86_400_000;

let stack: LocalStack;
let seed = 9000;
const photo = () => cameraJpeg({ width: 320, height: 320, seed: seed++ });

beforeAll(async () => {
  stack = await testStack({
    graphTokens: [{ token: TOKEN, kind: "ig_long" }],
    settings: { instagram: { accessToken: TOKEN } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

async function status(): Promise<{ token: TokenStatus; queues: Record<string, Record<string, number>> }> {
  const res = await fetch(`${stack.urls.api}/status`, {
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  return res.json();
}

const storedToken = () =>
  JSON.parse(
    readFileSync(
      stack.config.instagram.tokenStore?.type === "file" ? stack.config.instagram.tokenStore.path : "",
      "utf8",
    ),
  );

describe("publish: token lifecycle", () => {
  it("leaves a token younger than 24 h alone (Meta refuses to refresh it)", async () => {
    expect(await stack.refreshToken()).toEqual({ refreshed: false, reason: "too_young" });
    expect((await status()).token).toMatchObject({ source: "config", valid: true });
  });

  it("refreshes the token when fewer than 10 days are left and publishes with it after the old one expired", async () => {
    stack.sandbox.clock.advance(51 * DAY_MS);
    const outcome = await stack.refreshToken();
    expect(outcome).toMatchObject({ refreshed: true });
    const stored = storedToken();
    expect(stored.accessToken).not.toBe(TOKEN);
    // 60 days from the refresh, on the sandbox's clock (which keeps running in real time).
    const expected = stack.sandbox.clock.now() + 60 * DAY_MS;
    expect(Math.abs(Date.parse(stored.expiresAt) - expected)).toBeLessThan(5_000);
    expect(await stack.refreshToken()).toMatchObject({ refreshed: false, reason: "not_due" });

    stack.sandbox.clock.advance(10 * DAY_MS); // the configured token has expired now
    const id = await uploadOriginal(stack, await photo());
    const done = await waitForPhoto(
      stack,
      id,
      (p) => p.status === "done",
      "published with the refreshed token",
    );
    expect(done.stages.publish.mediaId).toBeDefined();

    const { token } = await status();
    expect(token).toMatchObject({ source: "file", valid: true, expiresAt: stored.expiresAt });
    // Days are counted on the API's own clock (real time), the expiry on the sandbox's.
    expect(token.daysLeft).toBe(Math.floor((Date.parse(stored.expiresAt) - Date.now()) / DAY_MS));
  });

  it("stops publishing with instagram_auth when the token has expired, and /status shows why", async () => {
    stack.sandbox.clock.advance(61 * DAY_MS); // the refreshed token has expired too
    const ids = [await uploadOriginal(stack, await photo()), await uploadOriginal(stack, await photo())];
    for (const id of ids) {
      const failed = await waitForPhoto(stack, id, (p) => p.status === "failed", "failed");
      expect(failed.stages.publish.lastError?.code).toBe("instagram_auth");
      expect(JSON.stringify(failed)).not.toContain(storedToken().accessToken);
    }
    // Nothing keeps retrying: the publish queue drains and the photos stay failed.
    await waitFor(async () => {
      const q = (await status()).queues.publish ?? {};
      return q.visible === 0 && q.inFlight === 0 && q.delayed === 0;
    }, "the publish queue drained");
    const { token } = await status();
    expect(token.valid).toBe(false);
    expect(token.problem?.code).toBe("instagram_auth");
    expect(await stack.refreshToken()).toMatchObject({ refreshed: false, reason: "invalid" });
  });

  it("publishes again once a new token is configured and the photo is retried", async () => {
    // An operator sets a new secret; the configured token now differs from the one the store came from.
    stack.runtime.config.instagram.accessToken = stack.sandbox.issueToken("ig_long");
    const [failed] = (await stack.runtime.photos.list({ status: "failed" })).photos;
    expect(failed).toBeDefined();
    const res = await fetch(`${stack.urls.api}/photos/${failed?.id}/retry`, {
      method: "POST",
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    expect(res.status).toBe(202);
    await waitForPhoto(stack, failed?.id as string, (p) => p.status === "done", "published after the retry");
    expect((await status()).token).toMatchObject({ source: "config", valid: true });
  });
});
