import { existsSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GraphSandbox, type MediaHost, startGraphSandbox, startMediaHost } from "../src/index.ts";
import { call, graphError, image } from "./fixtures.ts";

let sandbox: GraphSandbox;
let host: MediaHost;
let token: string;
let mediaPath: string;

beforeAll(async () => {
  [sandbox, host] = await Promise.all([
    startGraphSandbox({ processingMs: 0, fetchTimeoutMs: 300 }),
    startMediaHost(),
  ]);
  token = sandbox.issueToken("ig_long");
  mediaPath = `/v25.0/${sandbox.account.igUserId}/media`;
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), host?.stop()]);
});

const create = (params: Record<string, string>) =>
  call(sandbox.url, "POST", mediaPath, { token, body: params });
const jpegAt = async (name: string, w: number, h: number) =>
  host.put(name, { body: await image(w, h), contentType: "image/jpeg" });

describe("graph-sandbox: image containers", () => {
  it("downloads a JPEG within 4:5…1.91:1 and returns a numeric container id", async () => {
    const reply = await create({ image_url: await jpegAt("/square.jpg", 1080, 1080), caption: "ok" });
    expect(reply.status).toBe(200);
    expect(reply.body.id).toMatch(/^\d{17}$/);
    expect(host.requests).toContain("/square.jpg");
    const stored = await sandbox.state.readImage(String(reply.body.id));
    expect(await sharp(stored).metadata()).toMatchObject({ format: "jpeg", width: 1080, height: 1080 });
  });

  it("keeps what it downloaded in its media folder, not in memory, for as long as it runs", async () => {
    const mediaDir = join(await mkdtemp(join(tmpdir(), "sandbox-media-test-")), "media");
    const own = await startGraphSandbox({ processingMs: 0, mediaDir });
    const url = await jpegAt("/kept.jpg", 1080, 1350);
    const reply = await call(
      own.url,
      "POST",
      mediaPath.replace(sandbox.account.igUserId, own.account.igUserId),
      {
        token: own.issueToken("ig_long"),
        body: { image_url: url },
      },
    );
    const container = own.state.containers.get(String(reply.body.id));
    const file = container?.image?.file ?? "";
    expect(file.startsWith(mediaDir)).toBe(true);
    expect(statSync(file).size).toBe(container?.image?.bytes);
    expect(Object.values(container ?? {}).some((v) => v instanceof Uint8Array)).toBe(false);
    await own.stop();
    expect(existsSync(mediaDir)).toBe(false);
  });

  it("accepts the ratio bounds exactly: 0.8 (4:5) and 1.91", async () => {
    expect((await create({ image_url: await jpegAt("/portrait.jpg", 1080, 1350) })).status).toBe(200);
    expect((await create({ image_url: await jpegAt("/wide.jpg", 1910, 1000) })).status).toBe(200);
  });

  it.each([
    ["too tall (9:16)", 540, 960],
    ["too wide (2:1)", 1000, 500],
  ])("rejects a feed image %s with 36003/2207009", async (_name, w, h) => {
    const reply = await create({ image_url: await jpegAt(`/ratio-${w}x${h}.jpg`, w, h) });
    expect(reply.status).toBe(400);
    expect(graphError(reply)).toMatchObject({ code: 36003, error_subcode: 2207009, is_transient: false });
  });

  it("allows a 9:16 image as a story (no feed ratio rule)", async () => {
    const reply = await create({ image_url: await jpegAt("/story.jpg", 540, 960), media_type: "STORIES" });
    expect(reply.status).toBe(200);
  });

  it.each(["png", "webp"] as const)("rejects %s with 36001/2207005 (JPEG only)", async (format) => {
    const url = host.put(`/img.${format}`, {
      body: await image(800, 800, format),
      contentType: `image/${format}`,
    });
    expect(graphError(await create({ image_url: url }))).toMatchObject({
      code: 36001,
      error_subcode: 2207005,
    });
  });

  it("rejects an image over 8 MiB with 36000/2207004", async () => {
    const big = Buffer.concat([await image(800, 800), Buffer.alloc(8 * 1024 * 1024)]);
    const url = host.put("/big.jpg", { body: big, contentType: "image/jpeg" });
    expect(graphError(await create({ image_url: url }))).toMatchObject({
      code: 36000,
      error_subcode: 2207004,
    });
  });

  it("answers 9004/2207052 for a 404, a non-media body and an unreachable host", async () => {
    const html = host.put("/page.html", { body: "<html>hi</html>", contentType: "text/html" });
    for (const url of [`${host.url}/missing.jpg`, html, "http://127.0.0.1:1/nothing.jpg"]) {
      const error = graphError(await create({ image_url: url }));
      expect(error).toMatchObject({
        code: 9004,
        error_subcode: 2207052,
        message: "Only photo or video can be accepted as media type.",
      });
      expect(String(error.error_user_msg)).toContain(url);
    }
  });

  it("answers -2/2207003 (transient) when the download times out", async () => {
    const reply = await create({ image_url: host.put("/slow.jpg", "hang") });
    expect(graphError(reply)).toMatchObject({ code: -2, error_subcode: 2207003, is_transient: true });
  });
});

describe("graph-sandbox: captions", () => {
  it("rejects a caption over 2200 characters with 36004/2207010", async () => {
    const url = await jpegAt("/c1.jpg", 1000, 1000);
    expect((await create({ image_url: url, caption: "a".repeat(2200) })).status).toBe(200);
    expect(graphError(await create({ image_url: url, caption: "a".repeat(2201) }))).toMatchObject({
      code: 36004,
      error_subcode: 2207010,
    });
  });

  it("rejects more than 20 @-mentions (100/2207040) and more than 30 hashtags (100)", async () => {
    const url = await jpegAt("/c2.jpg", 1000, 1000);
    const tags = (n: number, sigil: string) =>
      Array.from({ length: n }, (_, i) => `${sigil}tag${i}`).join(" ");
    expect((await create({ image_url: url, caption: `${tags(20, "@")} ${tags(30, "#")}` })).status).toBe(200);
    expect(graphError(await create({ image_url: url, caption: tags(21, "@") }))).toMatchObject({
      code: 100,
      error_subcode: 2207040,
    });
    expect(graphError(await create({ image_url: url, caption: tags(31, "#") }))).toMatchObject({ code: 100 });
  });
});

describe("graph-sandbox: requests and envelope", () => {
  it("takes params from the query, a form body or JSON, on versioned and unversioned paths", async () => {
    const url = await jpegAt("/p.jpg", 1000, 1000);
    const q = await call(sandbox.url, "POST", `/v26.0/${sandbox.account.igUserId}/media`, {
      query: { image_url: url, access_token: token },
    });
    const json = await call(sandbox.url, "POST", `/${sandbox.account.igUserId}/media`, {
      token,
      body: { image_url: url },
      json: true,
    });
    const oauth = await call(sandbox.url, "POST", mediaPath, {
      headers: { authorization: `OAuth ${token}` },
      body: { image_url: url },
    });
    expect([q.status, json.status, oauth.status]).toEqual([200, 200, 200]);
  });

  it("sends Meta's envelope with a fresh fbtrace_id each time", async () => {
    const a = graphError(await create({ media_type: "NOPE" }));
    const b = graphError(await create({ media_type: "NOPE" }));
    expect(a).toMatchObject({
      code: 100,
      error_subcode: 2207023,
      type: "OAuthException",
      is_transient: false,
    });
    expect(a.fbtrace_id).toMatch(/^[\w-]{8,}$/);
    expect(a.fbtrace_id).not.toBe(b.fbtrace_id);
  });

  it("answers 100/33 for another account's id and 104 without a token", async () => {
    const other = await call(sandbox.url, "POST", "/v25.0/17841400000000000/media", {
      token,
      body: { image_url: "x" },
    });
    expect(graphError(other)).toMatchObject({ code: 100, error_subcode: 33 });
    const anonymous = await call(sandbox.url, "GET", `/v25.0/${sandbox.account.igUserId}`);
    expect(graphError(anonymous)).toMatchObject({ code: 104 });
  });

  it("reports usage in X-App-Usage and X-Business-Use-Case-Usage", async () => {
    const reply = await call(sandbox.url, "GET", `/v25.0/${sandbox.account.igUserId}`, {
      token,
      query: { fields: "username" },
    });
    expect(reply.body).toEqual({ id: sandbox.account.igUserId, username: "photo_relay_sandbox" });
    expect(JSON.parse(reply.headers.get("x-app-usage") ?? "{}")).toHaveProperty("call_count");
    const buc = JSON.parse(reply.headers.get("x-business-use-case-usage") ?? "{}");
    expect(buc[sandbox.account.igUserId][0]).toMatchObject({
      type: "instagram",
      estimated_time_to_regain_access: 0,
    });
  });
});
