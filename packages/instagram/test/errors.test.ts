import type { FaultName, FaultOptions } from "@photo-relay/graph-sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  classifyGraphError,
  GraphApiError,
  type GraphClient,
  type GraphErrorKind,
  redactUrl,
} from "../src/index.ts";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
let ig: GraphClient;
let finished: string;

beforeAll(async () => {
  h = await startHarness(0);
  ig = h.client();
  finished = (await ig.createImageContainer({ imageUrl: h.jpegUrl })).id;
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => h.sandbox.faults.clear());

async function failure(promise: Promise<unknown>): Promise<GraphApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GraphApiError)) throw new Error(`expected a GraphApiError, got ${String(error)}`);
  return error;
}

const withFault = async (name: FaultName, options: FaultOptions, call: () => Promise<unknown>) => {
  h.sandbox.faults.set(name, options);
  return failure(call());
};

describe("instagram errors: kinds driven by sandbox faults", () => {
  it.each<[FaultName, number, number | undefined]>([
    ["server_error", -1, 2207001],
    ["service_unavailable", 2, undefined],
    ["unknown_error", 1, undefined],
  ])("%s → transient (%i)", async (name, code, subcode) => {
    const error = await withFault(name, {}, () => ig.getPublishingLimit());
    expect(error).toMatchObject({
      kind: "transient",
      retryable: true,
      graphCode: code,
      subcode,
      code: "instagram_transient",
    });
    expect(error.fbtraceId).toMatch(/^[\w-]+$/);
    expect(await ig.getPublishingLimit()).toMatchObject({ quotaTotal: 50 }); // one-shot: the next call works
  });

  it("9004/2207052 on a good URL (Meta flake) → transient", async () => {
    const error = await withFault("media_fetch_failed", {}, () =>
      ig.createImageContainer({ imageUrl: h.jpegUrl }),
    );
    expect(error).toMatchObject({ kind: "transient", graphCode: 9004, subcode: 2207052 });
  });

  it("24/2207008 once, then success → transient with a recreate hint", async () => {
    const { id } = await ig.createImageContainer({ imageUrl: h.jpegUrl });
    const error = await withFault("creation_id_expired", { times: 1 }, () => ig.publish(id));
    expect(error).toMatchObject({
      kind: "transient",
      graphCode: 24,
      subcode: 2207008,
      recreateContainer: true,
    });
    expect((await ig.publish(id)).mediaId).toMatch(/^\d+$/);
  });

  it("100/33 on a GET of a fresh container → transient; the same code on a POST is rejected", async () => {
    const error = await withFault("unsupported_get", {}, () => ig.getContainerStatus(finished));
    expect(error).toMatchObject({ kind: "transient", graphCode: 100, subcode: 33 });
    const post = await failure(h.client({ userId: "17841400000000000" }).publish(finished));
    expect(post).toMatchObject({ kind: "rejected", graphCode: 100, subcode: 33 });
  });

  it("publishing before FINISHED → not_ready (9007/2207027)", async () => {
    const slow = await startHarness(5000);
    try {
      const client = slow.client();
      const { id } = await client.createImageContainer({ imageUrl: slow.jpegUrl });
      const error = await failure(client.publish(id));
      expect(error).toMatchObject({ kind: "not_ready", retryable: true, userTitle: "Cannot publish" });
    } finally {
      await slow.stop();
    }
  });

  it.each([4, 17, 32, 613, 80002])(
    "rate limit code %i → rate_limited with retryAfterSeconds",
    async (code) => {
      const error = await withFault("rate_limit", { code, retryAfterMinutes: 7 }, () =>
        ig.getPublishingLimit(),
      );
      expect(error).toMatchObject({
        kind: "rate_limited",
        graphCode: code,
        retryable: true,
        retryAfterSeconds: 420,
      });
      expect(ig.lastUsage?.maxPercent).toBe(100);
    },
  );

  it("HTTP 401 'User is performing too many actions' → rate_limited, not auth (even with code 190)", async () => {
    for (const code of [4, 190]) {
      const error = await withFault("too_many_actions_401", { code }, () => ig.me());
      expect(error).toMatchObject({ kind: "rate_limited", httpStatus: 401, graphCode: code });
    }
  });

  it("4/2207051 (suspected spam) → blocked, not rate_limited", async () => {
    const error = await withFault("spam_block", {}, () => ig.createImageContainer({ imageUrl: h.jpegUrl }));
    expect(error).toMatchObject({ kind: "blocked", graphCode: 4, subcode: 2207051, retryable: false });
  });

  it("25/2207050 (restricted account) → blocked", async () => {
    const error = await withFault("account_restricted", {}, () => ig.publish(finished));
    expect(error).toMatchObject({ kind: "blocked", graphCode: 25, subcode: 2207050 });
  });

  it("the spent publishing quota → quota_spent (9/2207042)", async () => {
    const small = await startHarness(0);
    try {
      const client = small.client();
      const ids = [];
      for (let i = 0; i < 51; i++)
        ids.push((await client.createImageContainer({ imageUrl: small.jpegUrl })).id);
      for (const id of ids.slice(0, 50)) await client.publish(id);
      const error = await failure(client.publish(ids[50] as string));
      expect(error).toMatchObject({ kind: "quota_spent", graphCode: 9, subcode: 2207042, retryable: true });
    } finally {
      await small.stop();
    }
  });

  it("an expired token → auth (190/463); an unknown one → auth (190/467)", async () => {
    const token = h.sandbox.issueToken("ig_long", 60);
    h.clock.advance(61_000);
    const expired = await failure(h.client({ accessToken: token }).me());
    expect(expired).toMatchObject({ kind: "auth", graphCode: 190, subcode: 463, retryable: false });
    expect(expired.message).toContain("Session has expired");
    const unknown = await failure(h.client({ accessToken: "IGAAnope" }).me());
    expect(unknown).toMatchObject({ kind: "auth", graphCode: 190, subcode: 467 });
  });

  it("HTTP 403 code 200 (missing permission) → auth", async () => {
    const error = await withFault("permission_missing", {}, () => ig.publish(finished));
    expect(error).toMatchObject({ kind: "auth", graphCode: 200, httpStatus: 403 });
  });

  it("a PNG → rejected (36001/2207005)", async () => {
    const sharp = (await import("sharp")).default;
    const png = await sharp({ create: { width: 500, height: 500, channels: 3, background: "#fff" } })
      .png()
      .toBuffer();
    const url = h.host.put("/x.png", { body: png, contentType: "image/png" });
    const error = await failure(ig.createImageContainer({ imageUrl: url }));
    expect(error).toMatchObject({
      kind: "rejected",
      graphCode: 36001,
      subcode: 2207005,
      retryable: false,
    });
  });

  it("publishing an expired container → container_invalid (-2/2207020)", async () => {
    const { id } = await ig.createImageContainer({ imageUrl: h.jpegUrl });
    h.clock.advance(24 * 3600_000);
    const error = await failure(ig.publish(id));
    expect(error).toMatchObject({
      kind: "container_invalid",
      graphCode: -2,
      subcode: 2207020,
      recreateContainer: true,
    });
  });
});

describe("instagram errors: classification table", () => {
  it.each<[number, number | undefined, number, string, GraphErrorKind]>([
    [1, undefined, 400, "GET", "transient"],
    [2, undefined, 400, "POST", "transient"],
    [-1, 2207001, 400, "POST", "transient"],
    [-2, 2207003, 400, "POST", "transient"],
    [9004, 2207052, 400, "POST", "transient"],
    [24, 2207008, 400, "POST", "transient"],
    [100, 33, 400, "GET", "transient"],
    [9007, 2207027, 400, "POST", "not_ready"],
    [4, undefined, 400, "GET", "rate_limited"],
    [17, undefined, 400, "GET", "rate_limited"],
    [80000, undefined, 400, "GET", "rate_limited"],
    [80014, undefined, 400, "GET", "rate_limited"],
    [9, 2207042, 400, "POST", "quota_spent"],
    [190, 463, 400, "GET", "auth"],
    [190, 460, 400, "GET", "auth"],
    [200, undefined, 403, "POST", "auth"],
    [4, 2207051, 400, "POST", "blocked"],
    [25, 2207050, 400, "POST", "blocked"],
    [36000, 2207004, 400, "POST", "rejected"],
    [36003, 2207009, 400, "POST", "rejected"],
    [36004, 2207010, 400, "POST", "rejected"],
    [352, 2207026, 400, "POST", "rejected"],
    [1, 2207057, 400, "POST", "rejected"],
    [100, 2207028, 400, "POST", "rejected"],
    [100, 33, 400, "POST", "rejected"],
    [-2, 2207020, 400, "POST", "container_invalid"],
    [24, 2207006, 400, "POST", "container_invalid"],
    [-1, 2207053, 400, "POST", "container_invalid"],
  ])("%i/%s (HTTP %i, %s) → %s", (code, subcode, status, method, kind) => {
    expect(
      classifyGraphError(status, { code, ...(subcode !== undefined && { error_subcode: subcode }) }, method),
    ).toBe(kind);
  });

  it("treats a non-JSON 5xx as transient and a non-JSON 4xx as rejected", () => {
    expect(classifyGraphError(502, undefined, "GET")).toBe("transient");
    expect(classifyGraphError(404, undefined, "GET")).toBe("rejected");
  });

  it("redacts access_token and app secrets from URLs", () => {
    const url = redactUrl(
      "https://graph.instagram.com/access_token?grant_type=ig_exchange_token&client_secret=s3cr3t&access_token=IGAAtok",
    );
    expect(url).not.toMatch(/s3cr3t|IGAAtok/);
    expect(url).toContain("grant_type=ig_exchange_token");
  });
});
