import { PhotoRelayError, RetryableError } from "@photo-relay/core";
import { makeMp4 } from "@photo-relay/graph-sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GraphApiError, type GraphUsage } from "../src/index.ts";
import { type Harness, startHarness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness(1000);
});
afterAll(async () => {
  await h?.stop();
});

const mp4Url = (name: string, seconds: number) =>
  h.host.put(name, { body: makeMp4({ durationSeconds: seconds }), contentType: "video/mp4" });

describe("instagram client: publishing", () => {
  it("creates an image container, waits for FINISHED, publishes and reads the media", async () => {
    const ig = h.client();
    const { id } = await ig.createImageContainer({
      imageUrl: h.jpegUrl,
      caption: "hello #photo",
      altText: "blue square",
    });
    expect(await ig.getContainerStatus(id)).toEqual({
      statusCode: "IN_PROGRESS",
      status: "In progress: Media is still being processed.",
    });
    h.clock.advance(1000);
    expect((await ig.getContainerStatus(id)).statusCode).toBe("FINISHED");
    const { mediaId } = await ig.publish(id);
    expect((await ig.getContainerStatus(id)).statusCode).toBe("PUBLISHED");
    const media = await ig.getMedia(mediaId);
    expect(media).toMatchObject({ mediaType: "IMAGE", mediaProductType: "FEED" });
    expect(media.permalink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/p\/[\w-]+\/$/);
    expect(media.timestamp).toMatch(/\+0000$/);
    expect(h.sandbox.state.containers.get(id)?.altText).toBe("blue square");
    expect(await ig.getPublishingLimit()).toEqual({
      quotaUsage: 1,
      quotaTotal: 50,
      quotaDurationSeconds: 86400,
    });
  });

  it("publishes a carousel of two image children", async () => {
    const ig = h.client();
    const children = await Promise.all(
      [1, 2].map(() => ig.createImageContainer({ imageUrl: h.jpegUrl, isCarouselItem: true })),
    );
    const { id } = await ig.createCarouselContainer({
      children: children.map((c) => c.id),
      caption: "two of them",
    });
    h.clock.advance(1000);
    const { mediaId } = await ig.publish(id);
    expect(await ig.getMedia(mediaId)).toMatchObject({ mediaType: "CAROUSEL_ALBUM" });
  });

  it("publishes a Reel from a video URL", async () => {
    const ig = h.client();
    const { id } = await ig.createReelsContainer({
      videoUrl: mp4Url("/reel.mp4", 7),
      caption: "reel",
      coverUrl: h.jpegUrl,
      shareToFeed: false,
    });
    h.clock.advance(1000);
    const { mediaId } = await ig.publish(id);
    expect(await ig.getMedia(mediaId)).toMatchObject({ mediaType: "VIDEO", mediaProductType: "REELS" });
    expect(h.sandbox.state.containers.get(id)).toMatchObject({ coverUrl: h.jpegUrl, shareToFeed: false });
  });

  it("publishes image and video stories", async () => {
    const ig = h.client();
    const image = await ig.createStoryContainer({ imageUrl: h.jpegUrl });
    const video = await ig.createStoryContainer({ videoUrl: mp4Url("/story.mp4", 15) });
    h.clock.advance(1000);
    for (const { id } of [image, video]) {
      const { mediaId } = await ig.publish(id);
      expect((await ig.getMedia(mediaId)).mediaProductType).toBe("STORY");
    }
  });

  it("reports an ERROR container with Meta's status text", async () => {
    const ig = h.client();
    const { id } = await ig.createReelsContainer({ videoUrl: mp4Url("/short.mp4", 1) });
    const status = await ig.getContainerStatus(id);
    expect(status.statusCode).toBe("ERROR");
    expect(status.status).toContain("2207026");
  });
});

describe("instagram client: identity and tokens", () => {
  it("finds the account with Instagram Login (/me user_id)", async () => {
    expect(await h.client().me()).toEqual({
      igUserId: h.sandbox.account.igUserId,
      username: h.sandbox.account.username,
    });
  });

  it("finds the account with Facebook Login (/me/accounts → instagram_business_account)", async () => {
    const ig = h.client({
      flavour: "facebook",
      accessToken: h.sandbox.issueToken("fb_long"),
      apiVersion: "v26.0",
    });
    expect(await ig.me()).toEqual({
      igUserId: h.sandbox.account.igUserId,
      pageId: h.sandbox.account.pageId,
      username: h.sandbox.account.username,
    });
  });

  it("refreshes an Instagram long-lived token once it is 24 h old, and uses the new one", async () => {
    let token = h.sandbox.issueToken("ig_long");
    const ig = h.client({ accessToken: () => token });
    h.clock.advance(24 * 3600_000);
    const refreshed = await ig.refreshToken();
    expect(refreshed.expiresIn).toBe(60 * 24 * 3600);
    token = refreshed.accessToken;
    expect((await ig.me()).igUserId).toBe(h.sandbox.account.igUserId);
  });

  it("refuses to refresh a Facebook Login token", async () => {
    const ig = h.client({ flavour: "facebook" });
    await expect(ig.refreshToken()).rejects.toBeInstanceOf(PhotoRelayError);
  });
});

describe("instagram client: usage headers and transport", () => {
  it("reads X-App-Usage and X-Business-Use-Case-Usage into a usage object", async () => {
    const seen: GraphUsage[] = [];
    const ig = h.client({ onUsage: (u) => seen.push(u) });
    await ig.getPublishingLimit();
    expect(seen).toHaveLength(1);
    expect(ig.lastUsage).toMatchObject({
      app: { callCount: expect.any(Number) },
      business: [
        { businessId: h.sandbox.account.igUserId, type: "instagram", estimatedTimeToRegainAccess: 0 },
      ],
    });
    expect(ig.lastUsage?.retryAfterSeconds).toBeUndefined();
  });

  it("turns a refused connection into a RetryableError", async () => {
    const ig = h.client({ baseUrl: "http://127.0.0.1:1" });
    const error = await ig.getPublishingLimit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect(error).toMatchObject({ code: "instagram_network", retryable: true });
  });

  it("turns a hung call into a RetryableError after timeoutMs", async () => {
    h.host.put("/v25.0/17889455560000001", "hang");
    const ig = h.client({ baseUrl: h.host.url, timeoutMs: 200 });
    await expect(ig.getContainerStatus("17889455560000001")).rejects.toMatchObject({
      code: "instagram_timeout",
      retryable: true,
    });
  });

  it("turns a 2xx that is not JSON (a proxy page) into a RetryableError", async () => {
    h.host.put("/v25.0/17889455560000003", { body: "<html>portal</html>", contentType: "text/html" });
    const ig = h.client({ baseUrl: h.host.url });
    await expect(ig.getContainerStatus("17889455560000003")).rejects.toMatchObject({
      code: "instagram_bad_response",
      retryable: true,
    });
  });

  it("sends the token only in the Authorization header and never puts it in an error", async () => {
    const token = h.sandbox.issueToken("ig_short");
    const ig = h.client({ accessToken: token });
    h.clock.advance(2 * 3600_000);
    const error = await ig.getMedia("17889455560000002").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphApiError);
    expect((error as GraphApiError).kind).toBe("auth");
    expect(
      JSON.stringify({
        ...(error as object),
        message: (error as Error).message,
        stack: (error as Error).stack,
      }),
    ).not.toContain(token);
  });
});
