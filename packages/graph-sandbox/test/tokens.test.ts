import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GraphSandbox, startGraphSandbox, VirtualClock } from "../src/index.ts";
import { call, graphError } from "./fixtures.ts";

const HOUR_S = 3600;
let sandbox: GraphSandbox;
const clock = new VirtualClock({ frozen: true });

beforeAll(async () => {
  sandbox = await startGraphSandbox({ clock });
});
afterAll(async () => {
  await sandbox?.stop();
});

const get = (path: string, query: Record<string, string>, token?: string) =>
  call(sandbox.url, "GET", path, { query, ...(token && { token }) });

describe("graph-sandbox: Instagram Login tokens", () => {
  it("exchanges a short-lived token (1 h) for a long-lived one (60 d) with the app secret", async () => {
    const short = sandbox.issueToken("ig_short");
    const missingSecret = await get("/access_token", {
      grant_type: "ig_exchange_token",
      access_token: short,
    });
    expect(graphError(missingSecret)).toMatchObject({ code: 100 });
    const reply = await get("/access_token", {
      grant_type: "ig_exchange_token",
      client_secret: "s",
      access_token: short,
    });
    expect(reply.body).toMatchObject({ token_type: "bearer", expires_in: 60 * 24 * HOUR_S });
    clock.advanceSeconds(HOUR_S);
    expect(graphError(await get("/v25.0/me", {}, short))).toMatchObject({ code: 190, error_subcode: 463 });
    expect(
      (await get("/v25.0/me", { fields: "user_id,username" }, String(reply.body.access_token))).status,
    ).toBe(200);
  });

  it("refreshes only a long-lived token at least 24 h old, and only with GET", async () => {
    const long = sandbox.issueToken("ig_long");
    const refresh = () => get("/refresh_access_token", { grant_type: "ig_refresh_token" }, long);
    expect(graphError(await refresh()).code).toBe(10);
    clock.advanceSeconds(24 * HOUR_S);
    const reply = await refresh();
    expect(reply.body).toMatchObject({ token_type: "bearer", expires_in: 60 * 24 * HOUR_S });
    expect(reply.body.access_token).not.toBe(long);
    const post = await call(sandbox.url, "POST", "/refresh_access_token", {
      token: long,
      body: { grant_type: "ig_refresh_token" },
    });
    expect(graphError(post)).toMatchObject({ code: 100, message: "Unsupported request - method type: post" });
  });

  it("expires a long-lived token after 60 days with Meta's 190/463 message", async () => {
    const long = sandbox.issueToken("ig_long");
    clock.advanceSeconds(60 * 24 * HOUR_S);
    const error = graphError(await get("/v25.0/me", {}, long));
    expect(error).toMatchObject({ code: 190, error_subcode: 463, type: "OAuthException" });
    expect(error.message).toMatch(
      /^Error validating access token: Session has expired on \w+day, .+\. The current time is .+\.$/,
    );
    expect(
      graphError(await get("/refresh_access_token", { grant_type: "ig_refresh_token" }, long)).code,
    ).toBe(190);
  });

  it("answers /me with the professional account id as user_id", async () => {
    const reply = await get("/v26.0/me", { fields: "user_id,username" }, sandbox.defaultToken);
    expect(reply.body).toMatchObject({
      user_id: sandbox.account.igUserId,
      username: sandbox.account.username,
    });
    expect(reply.body.id).not.toBe(sandbox.account.igUserId);
  });

  it("answers 190/467 for a token it never issued", async () => {
    expect(graphError(await get("/v25.0/me", {}, "IGAAmadeup"))).toMatchObject({
      code: 190,
      error_subcode: 467,
    });
  });
});

describe("graph-sandbox: Facebook Login tokens", () => {
  it("exchanges fb_exchange_token and finds the account through /me/accounts", async () => {
    const short = sandbox.issueToken("fb_short");
    const reply = await get("/v25.0/oauth/access_token", {
      grant_type: "fb_exchange_token",
      client_id: "1",
      client_secret: "s",
      fb_exchange_token: short,
    });
    expect(reply.body).toMatchObject({ token_type: "bearer", expires_in: 5_183_944 });
    const accounts = await get(
      "/v25.0/me/accounts",
      { fields: "id,name,instagram_business_account" },
      String(reply.body.access_token),
    );
    expect(accounts.body.data).toEqual([
      {
        id: sandbox.account.pageId,
        name: sandbox.account.pageName,
        instagram_business_account: { id: sandbox.account.igUserId },
      },
    ]);
  });

  it("cannot exchange an expired token", async () => {
    const short = sandbox.issueToken("fb_short");
    clock.advanceSeconds(2 * HOUR_S);
    const reply = await get("/v25.0/oauth/access_token", {
      grant_type: "fb_exchange_token",
      client_id: "1",
      client_secret: "s",
      fb_exchange_token: short,
    });
    expect(graphError(reply)).toMatchObject({ code: 190, error_subcode: 463 });
  });
});
