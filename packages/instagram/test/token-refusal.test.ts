/**
 * A refusal of a token that was replaced while the call was on its way (renewed by the operator,
 * or refreshed) must not be recorded against the new token: found by the soak, where every photo
 * after a renewal failed with `instagram_auth` because publish steps still in flight with the
 * expired token recorded their refusal under the renewed one.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { graphApiError } from "../src/graph-error-kinds.ts";
import { TokenKeeper } from "../src/index.ts";
import { FileTokenStore } from "../src/token/token-store.ts";

const OLD = "IGAA-configured-token-that-expired";
const NEW = "IGAA-renewed-token-in-the-store";
const expired = () =>
  graphApiError(
    "GET",
    new URL("https://graph.instagram.com/v25.0/me"),
    400,
    {
      error: {
        message: "Error validating access token",
        type: "OAuthException",
        code: 190,
        error_subcode: 463,
      },
    },
    undefined,
  );

async function keeperWithRenewedToken(): Promise<TokenKeeper> {
  const store = new FileTokenStore(join(mkdtempSync(join(tmpdir(), "token-refusal-")), "token.json"));
  await store.write({ accessToken: NEW, seedHash: sha256Hex(Buffer.from(OLD)) });
  return new TokenKeeper({ settings: { accessToken: OLD }, store });
}

describe("instagram: a refusal of a token already replaced", () => {
  it("is not recorded against the token in force", async () => {
    const keeper = await keeperWithRenewedToken();
    expect(await keeper.accessToken()).toBe(NEW);
    const problem = await keeper.noteRefusal(expired(), OLD);
    expect(problem.tokenHash).toBe(sha256Hex(Buffer.from(OLD)));
    expect(await keeper.problem()).toBeUndefined();
    expect(await keeper.refusal()).toBeUndefined();
  });

  it("is recorded when the refused token is the one in force", async () => {
    const keeper = await keeperWithRenewedToken();
    await keeper.noteRefusal(expired(), NEW);
    expect((await keeper.problem())?.tokenHash).toBe(sha256Hex(Buffer.from(NEW)));
    expect((await keeper.refusal())?.message).toMatch(/token expired/);
  });
});

describe("instagram: a refusal of a token renewed since", () => {
  it("stops no step once the renewed token is in the store, however long reads are cached", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "token-renewed-")), "token.json");
    // As on AWS: the store (an SSM parameter there) is read at most once a minute.
    const keeper = new TokenKeeper({
      settings: { accessToken: OLD },
      store: new FileTokenStore(path),
      cacheMs: 60_000,
    });
    await keeper.noteRefusal(expired(), OLD);
    expect((await keeper.refusal())?.message).toMatch(/token expired/);

    // The refresh job (another process) renews the token.
    await new FileTokenStore(path).write({ accessToken: NEW, seedHash: sha256Hex(Buffer.from(OLD)) });
    expect(await keeper.refusal()).toBeUndefined();
    expect(await keeper.accessToken()).toBe(NEW);
  });
});
