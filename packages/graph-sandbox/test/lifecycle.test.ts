import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type GraphSandbox,
  type MediaHost,
  startGraphSandbox,
  startMediaHost,
  VirtualClock,
} from "../src/index.ts";
import { call, graphError, image } from "./fixtures.ts";

const HOUR = 3600_000;
let sandbox: GraphSandbox;
let host: MediaHost;
let clock: VirtualClock;
let jpegUrl: string;
const token = "IGAA-lifecycle";

beforeAll(async () => {
  clock = new VirtualClock({ frozen: true });
  [sandbox, host] = await Promise.all([
    startGraphSandbox({ clock, processingMs: 2000, quotaTotal: 3, tokens: [token] }),
    startMediaHost(),
  ]);
  jpegUrl = host.put("/photo.jpg", { body: await image(1080, 1080), contentType: "image/jpeg" });
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), host?.stop()]);
});
beforeEach(() => {
  clock.advance(25 * HOUR); // a fresh publishing window for each test
});

const ig = () => sandbox.account.igUserId;
const post = (path: string, body: Record<string, string>) =>
  call(sandbox.url, "POST", `/v25.0/${path}`, { token, body });
const get = (path: string, query: Record<string, string> = {}) =>
  call(sandbox.url, "GET", `/v25.0/${path}`, { token, query });
const createImage = async (extra: Record<string, string> = {}) =>
  String((await post(`${ig()}/media`, { image_url: jpegUrl, ...extra })).body.id);
const status = async (id: string) => (await get(id, { fields: "status_code,status" })).body;
const publish = (id: string) => post(`${ig()}/media_publish`, { creation_id: id });

describe("graph-sandbox: container lifecycle", () => {
  it("is IN_PROGRESS for processingMs, then FINISHED, then PUBLISHED", async () => {
    const id = await createImage({ caption: "lifecycle" });
    expect(await status(id)).toMatchObject({ id, status_code: "IN_PROGRESS" });
    expect(graphError(await publish(id))).toMatchObject({
      code: 9007,
      error_subcode: 2207027,
      message: "Media ID is not available",
    });
    clock.advance(2000);
    expect(await status(id)).toMatchObject({ status_code: "FINISHED" });
    const mediaId = String((await publish(id)).body.id);
    expect(await status(id)).toMatchObject({ status_code: "PUBLISHED" });
    const media = await get(mediaId, {
      fields: "id,permalink,media_type,media_product_type,timestamp,caption",
    });
    expect(media.body).toMatchObject({
      id: mediaId,
      media_type: "IMAGE",
      media_product_type: "FEED",
      caption: "lifecycle",
    });
    expect(String(media.body.permalink)).toMatch(/\/p\/[\w-]+\/$/);
    expect(String(media.body.timestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    expect((await get(`${ig()}/media`)).body.data).toContainEqual({ id: mediaId });
  });

  it("answers only `id` when no fields are asked for, and 100 for unknown fields", async () => {
    const id = await createImage();
    expect((await get(id)).body).toEqual({ id });
    expect(graphError(await get(id, { fields: "nonsense" }))).toMatchObject({ code: 100 });
  });

  it("refuses to publish a PUBLISHED container again (no second post)", async () => {
    const id = await createImage();
    clock.advance(2000);
    expect((await publish(id)).status).toBe(200);
    const again = await publish(id);
    expect(again.status).toBe(400);
    expect(sandbox.state.publishedMedia().filter((m) => m.containerId === id)).toHaveLength(1);
  });

  it("expires an unpublished container after 24 h; publishing it answers -2/2207020", async () => {
    const id = await createImage();
    clock.advance(24 * HOUR);
    expect(await status(id)).toMatchObject({ status_code: "EXPIRED" });
    expect(graphError(await publish(id))).toMatchObject({ code: -2, error_subcode: 2207020 });
  });

  it("answers 24/2207008 for an unknown creation id", async () => {
    expect(graphError(await publish("17889455560099999"))).toMatchObject({
      code: 24,
      error_subcode: 2207008,
    });
  });
});

describe("graph-sandbox: publishing quota (rolling 24 h)", () => {
  it("counts publishes, refuses past quota_total with 9/2207042, and frees slots as they age out", async () => {
    const ids = [await createImage(), await createImage(), await createImage(), await createImage()];
    clock.advance(2000);
    for (const id of ids.slice(0, 2)) expect((await publish(id)).status).toBe(200);
    clock.advance(HOUR);
    expect((await publish(ids[2] as string)).status).toBe(200);
    const limit = await get(`${ig()}/content_publishing_limit`, { fields: "quota_usage,config" });
    expect(limit.body).toEqual({
      data: [{ quota_usage: 3, config: { quota_total: 3, quota_duration: 86400 } }],
    });
    expect((await get(`${ig()}/content_publishing_limit`)).body).toEqual({ data: [{ quota_usage: 3 }] });
    expect(graphError(await publish(ids[3] as string))).toMatchObject({ code: 9, error_subcode: 2207042 });
    // 23 h later the first two publishes leave the window; the third is still in it.
    clock.advance(23 * HOUR + 1000);
    const since = String(Math.floor((clock.now() - 30 * 60_000) / 1000));
    expect((await get(`${ig()}/content_publishing_limit`)).body).toEqual({ data: [{ quota_usage: 1 }] });
    expect((await get(`${ig()}/content_publishing_limit`, { since })).body).toEqual({
      data: [{ quota_usage: 0 }],
    });
    const fresh = await createImage();
    clock.advance(2000);
    expect((await publish(fresh)).status).toBe(200);
  });

  it("limits containers per rolling 24 h (configurable error)", async () => {
    const small = await startGraphSandbox({ clock, processingMs: 0, containerLimit: 2, tokens: [token] });
    try {
      const create = () =>
        call(small.url, "POST", `/${small.account.igUserId}/media`, { token, body: { image_url: jpegUrl } });
      expect((await create()).status).toBe(200);
      expect((await create()).status).toBe(200);
      expect(graphError(await create())).toMatchObject({ code: 9, error_subcode: 2207042 });
      clock.advance(24 * HOUR);
      expect((await create()).status).toBe(200);
    } finally {
      await small.stop();
    }
  });

  it("can answer a republish with the same media id instead of an error", async () => {
    const lenient = await startGraphSandbox({
      clock,
      processingMs: 0,
      republish: "same_media",
      tokens: [token],
    });
    try {
      const base = `/${lenient.account.igUserId}`;
      const id = String(
        (await call(lenient.url, "POST", `${base}/media`, { token, body: { image_url: jpegUrl } })).body.id,
      );
      const first = await call(lenient.url, "POST", `${base}/media_publish`, {
        token,
        body: { creation_id: id },
      });
      const second = await call(lenient.url, "POST", `${base}/media_publish`, {
        token,
        body: { creation_id: id },
      });
      expect(second.body.id).toBe(first.body.id);
    } finally {
      await lenient.stop();
    }
  });
});

describe("graph-sandbox: carousels", () => {
  it("needs 2–10 children (100/2207028)", async () => {
    const one = await createImage({ is_carousel_item: "true" });
    expect(graphError(await post(`${ig()}/media`, { media_type: "CAROUSEL", children: one }))).toMatchObject({
      code: 100,
      error_subcode: 2207028,
    });
    const eleven = Array.from({ length: 11 }, () => one).join(",");
    expect(
      graphError(await post(`${ig()}/media`, { media_type: "CAROUSEL", children: eleven })),
    ).toMatchObject({
      error_subcode: 2207028,
    });
  });

  it("finishes after its children and publishes as one CAROUSEL_ALBUM post", async () => {
    const children = [
      await createImage({ is_carousel_item: "true" }),
      await createImage({ is_carousel_item: "true" }),
    ];
    const id = String(
      (await post(`${ig()}/media`, { media_type: "CAROUSEL", children: children.join(","), caption: "two" }))
        .body.id,
    );
    expect(await status(id)).toMatchObject({ status_code: "IN_PROGRESS" });
    expect(graphError(await publish(id))).toMatchObject({ code: 9007 });
    clock.advance(2000);
    expect(await status(id)).toMatchObject({ status_code: "FINISHED" });
    const mediaId = String((await publish(id)).body.id);
    expect((await get(mediaId, { fields: "media_type,media_product_type" })).body).toMatchObject({
      media_type: "CAROUSEL_ALBUM",
      media_product_type: "FEED",
    });
    const before = (await get(`${ig()}/content_publishing_limit`)).body;
    expect(before).toEqual({ data: [{ quota_usage: 1 }] });
  });

  it("refuses a caption on a carousel item", async () => {
    expect(
      (await post(`${ig()}/media`, { image_url: jpegUrl, is_carousel_item: "true", caption: "x" })).status,
    ).toBe(400);
  });
});
