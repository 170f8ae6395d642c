import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GraphSandbox, type MediaHost, startGraphSandbox, startMediaHost } from "../src/index.ts";
import { call, graphError, image } from "./fixtures.ts";

let sandbox: GraphSandbox;
let host: MediaHost;
let token: string;

beforeAll(async () => {
  [sandbox, host] = await Promise.all([startGraphSandbox({ processingMs: 0 }), startMediaHost()]);
  token = sandbox.defaultToken as string;
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), host?.stop()]);
});

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};
const me = () => call(sandbox.url, "GET", "/v25.0/me", { token });

describe("graph-sandbox: admin endpoints", () => {
  it("arms faults over HTTP for the next N calls", async () => {
    expect(
      (
        await admin("POST", "/__sandbox/faults", {
          name: "rate_limit",
          times: 2,
          code: 80002,
          retryAfterMinutes: 3,
        })
      ).status,
    ).toBe(200);
    for (let i = 0; i < 2; i++) {
      const reply = await me();
      expect(graphError(reply)).toMatchObject({ code: 80002, is_transient: true });
      const buc = JSON.parse(reply.headers.get("x-business-use-case-usage") ?? "{}");
      expect(buc[sandbox.account.igUserId][0].estimated_time_to_regain_access).toBe(3);
    }
    expect((await me()).status).toBe(200);
    expect((await admin("POST", "/__sandbox/faults", { name: "no_such_fault" })).status).toBe(400);
  });

  it("keeps a fault with times: null until it is cleared", async () => {
    await admin("POST", "/__sandbox/faults", { name: "server_error", times: null });
    expect(graphError(await me())).toMatchObject({ code: -1, error_subcode: 2207001 });
    expect(graphError(await me())).toMatchObject({ code: -1 });
    await admin("DELETE", "/__sandbox/faults?name=server_error");
    expect((await me()).status).toBe(200);
  });

  it("advances the virtual clock and issues tokens", async () => {
    const before = Number((await admin("GET", "/__sandbox/clock")).body.now);
    const after = Number((await admin("POST", "/__sandbox/clock", { advanceSeconds: 3600 })).body.now);
    expect(after - before).toBeGreaterThanOrEqual(3600_000);
    const issued = await admin("POST", "/__sandbox/tokens", { kind: "ig_short" });
    expect((await call(sandbox.url, "GET", "/me", { token: String(issued.body.access_token) })).status).toBe(
      200,
    );
    await admin("POST", "/__sandbox/clock", { advanceSeconds: 3600 });
    expect((await call(sandbox.url, "GET", "/me", { token: String(issued.body.access_token) })).status).toBe(
      400,
    );
  });

  it("shows published posts on the feed page with their stored JPEGs", async () => {
    const jpeg = await image(1200, 1000);
    const url = host.put("/feed.jpg", { body: jpeg, contentType: "image/jpeg" });
    const base = `/v25.0/${sandbox.account.igUserId}`;
    const caption = "Sunset <over> the bay #photo";
    const { id } = (
      await call(sandbox.url, "POST", `${base}/media`, { token, body: { image_url: url, caption } })
    ).body;
    const published = await call(sandbox.url, "POST", `${base}/media_publish`, {
      token,
      body: { creation_id: String(id) },
    });
    const html = await (await fetch(`${sandbox.url}/`)).text();
    expect(html).toContain("Sunset &lt;over&gt; the bay #photo");
    expect(html).toContain(`/__sandbox/media/${id}.jpg`);
    const served = await fetch(`${sandbox.url}/__sandbox/media/${published.body.id}.jpg`);
    expect(served.headers.get("content-type")).toBe("image/jpeg");
    expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({
      width: 1200,
      height: 1000,
    });
    const state = await admin("GET", "/__sandbox/state");
    expect(state.body.quotaUsage).toBe(1);
    expect(JSON.stringify(state.body)).not.toContain(token);
  });

  it("answers media_publish of a finished container with 'not ready' while media_not_ready is armed", async () => {
    const url = host.put("/ready.jpg", { body: await image(1080, 1080), contentType: "image/jpeg" });
    const base = `/v25.0/${sandbox.account.igUserId}`;
    const { id } = (await call(sandbox.url, "POST", `${base}/media`, { token, body: { image_url: url } }))
      .body;
    await admin("POST", "/__sandbox/faults", { name: "media_not_ready", times: 1 });
    const publish = () =>
      call(sandbox.url, "POST", `${base}/media_publish`, { token, body: { creation_id: String(id) } });
    expect(graphError(await publish())).toMatchObject({ code: 9007, error_subcode: 2207027 });
    expect((await publish()).status).toBe(200);
  });
});
