/**
 * publish: every fault switch of the Graph API sandbox gives the right behaviour — "later" and
 * transient answers end in exactly one post, fatal ones in a failed photo with the reason.
 */

import type { FaultName, FaultOptions } from "@photo-relay/graph-sandbox";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

let stack: LocalStack;
let seed = 6000;

beforeAll(async () => {
  // testStack's redelivery (1–2 s) and a 1 s quota deferral: retries come back within seconds.
  stack = await testStack({ settings: { instagram: { quotaDeferSeconds: 1 } } });
});
afterAll(async () => {
  await stack?.stop();
});

async function withFault(name: FaultName, options: FaultOptions) {
  const before = stack.sandbox.state.publishLog.length;
  const jpeg = await cameraJpeg({ width: 320, height: 320, seed: seed++ });
  stack.sandbox.faults.set(name, options);
  const id = await uploadOriginal(stack, jpeg);
  const photo = await waitForPhoto(
    stack,
    id,
    (p) => p.status === "done" || p.status === "failed",
    "an outcome",
  );
  stack.sandbox.faults.clear(name);
  return { photo, posts: stack.sandbox.state.publishLog.length - before };
}

describe("publish: Graph API faults", () => {
  it.each<[FaultName, FaultOptions]>([
    // Without estimated_time_to_regain_access the step comes back after the redelivery backoff.
    ["rate_limit", { times: 2, code: 80002, retryAfterMinutes: 0 }],
    ["rate_limit", { times: 1, code: 4, retryAfterMinutes: 0 }],
    ["too_many_actions_401", { times: 1 }],
    ["server_error", { times: 2 }],
    ["service_unavailable", { times: 1 }],
    ["unknown_error", { times: 1 }],
    ["unsupported_get", { times: 2 }],
    ["media_fetch_failed", { times: 1 }],
    ["creation_id_expired", { times: 1 }],
  ])("%s %j: retried or deferred, then published exactly once", async (name, options) => {
    const { photo, posts } = await withFault(name, options);
    expect(photo.status, JSON.stringify(photo.stages.publish.lastError)).toBe("done");
    expect(posts).toBe(1);
  });

  it("spam_block: the photo fails with instagram_blocked, nothing is posted", async () => {
    const { photo, posts } = await withFault("spam_block", { times: 1 });
    expect(photo.stages.publish.lastError?.code).toBe("instagram_blocked");
    expect(posts).toBe(0);
  });

  // Last: a refused token stops all publishing until a new one is configured.
  it("permission_missing: the photo fails with instagram_auth and publishing stops", async () => {
    const { photo, posts } = await withFault("permission_missing", { times: 1 });
    expect(photo.stages.publish.lastError?.code).toBe("instagram_auth");
    expect(posts).toBe(0);
    const res = await fetch(`${stack.urls.api}/status`, {
      headers: { authorization: `Bearer ${stack.apiToken}` },
    });
    const { token } = await res.json();
    expect(token).toMatchObject({ valid: false, problem: { code: "instagram_auth" } });
    expect(token.problem.message).toMatch(/lacks a permission/);
  });
});
