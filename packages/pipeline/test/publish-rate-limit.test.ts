/**
 * publish: a call-rate limit (codes 4, 17, 32; the 401 "too many actions") is not the day's
 * publishing quota. The step comes back when Meta's usage header says access returns
 * (`estimated_time_to_regain_access`), and without one after a short backoff that grows with each
 * limit in a row (`redelivery`, jittered) — never after the quota's 450–900 s deferral.
 */
import type { FaultName, FaultOptions } from "@photo-relay/graph-sandbox";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import type { PublishJob } from "../src/jobs/job-schemas.ts";
import { runPublishStep } from "../src/stages/publish/index.ts";

const BASE_SECONDS = 10;
const MAX_SECONDS = 900;
let stack: LocalStack;
let seed = 9400;

beforeAll(async () => {
  // Manual mode holds each photo, so the tests run its steps themselves and read the delays.
  stack = await testStack({
    publishMode: "manual",
    settings: { redelivery: { baseSeconds: BASE_SECONDS, maxSeconds: MAX_SECONDS } },
  });
});
afterAll(async () => {
  await stack?.stop();
});

async function approved(): Promise<string> {
  const id = await uploadOriginal(stack, await cameraJpeg({ width: 320, height: 320, seed: seed++ }));
  await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
  await stack.runtime.photos.update(id, (p) => ({
    ...p,
    stages: { ...p.stages, publish: { ...p.stages.publish, approved: true } },
  }));
  return id;
}

/** Runs `job` once under `fault`; the step it hands on and that step's delay. */
async function throttled(job: PublishJob, name: FaultName, options: FaultOptions) {
  stack.sandbox.faults.set(name, { times: 1, ...options });
  try {
    const { next } = await runPublishStep(stack.publishRuntime, job);
    expect(next).toHaveLength(1);
    const [handedOn] = next;
    if (handedOn?.queue !== "publish") throw new Error(`handed on to ${handedOn?.queue}`);
    return handedOn;
  } finally {
    stack.sandbox.faults.clear(name);
  }
}

describe("publish: call-rate limits", () => {
  it.each([17, 32, 80002])("code %i: comes back when the usage header says access returns", async (code) => {
    const id = await approved();
    const { job, delaySeconds } = await throttled({ photoId: id, step: "create", checks: 0 }, "rate_limit", {
      code,
      retryAfterMinutes: 3,
    });
    expect(job).toMatchObject({ photoId: id, step: "create" });
    // Three minutes, spread by at most the backoff's base so a deferred burst does not return at once.
    expect(delaySeconds).toBeGreaterThanOrEqual(180);
    expect(delaySeconds).toBeLessThanOrEqual(180 + BASE_SECONDS);
    expect((await stack.runtime.photos.require(id)).stages.publish.status).toBe("waiting");
  });

  it.each<[FaultName, FaultOptions]>([
    ["rate_limit", { code: 4, retryAfterMinutes: 0 }],
    ["rate_limit", { code: 17, retryAfterMinutes: 0 }],
    ["too_many_actions_401", {}],
  ])(
    "%s %j without a time to regain access: a short backoff growing with each limit in a row",
    async (name, options) => {
      const id = await approved();
      let job: PublishJob = { photoId: id, step: "create", checks: 0 };
      for (let inARow = 1; inARow <= 5; inARow++) {
        const handedOn = await throttled(job, name, options);
        const ceiling = Math.min(MAX_SECONDS, BASE_SECONDS * 2 ** (inARow - 1));
        expect(handedOn.delaySeconds, `limit ${inARow} in a row`).toBeGreaterThanOrEqual(ceiling / 2);
        expect(handedOn.delaySeconds, `limit ${inARow} in a row`).toBeLessThanOrEqual(ceiling);
        job = handedOn.job;
      }
      // Once Meta lets the call through, the photo goes on (and a later limit starts short again).
      const { next } = await runPublishStep(stack.publishRuntime, job);
      expect(next[0]?.job).toMatchObject({ photoId: id, step: "publish" });
      expect(next[0]?.job).not.toHaveProperty("throttled");
    },
  );
});
