/**
 * The Instagram token's life: the configured long-lived token seeds the store, a scheduled job
 * refreshes it before it expires (Instagram Login tokens last 60 days and can be refreshed once
 * 24 h old), the Graph client asks for the current one before every call, and a refused token
 * (code 190 …) is recorded so publishing stops with a clear state instead of retrying.
 */
import { SSMClient } from "@aws-sdk/client-ssm";
import { type Config, PhotoRelayError, sha256Hex } from "@photo-relay/core";
import { createGraphClient, GraphApiError, type GraphClient } from "@photo-relay/instagram";
import type { Runtime } from "./runtime.ts";
import { FileTokenStore, SsmTokenStore, type StoredToken, type TokenStore } from "./token-store.ts";

const DAY_MS = 86_400_000;
const stores = new WeakMap<Config, TokenStore | undefined>();

/** The store `instagram.tokenStore` names (one per configuration), or `undefined` when none is set. */
export function openTokenStore(config: Config): TokenStore | undefined {
  if (!stores.has(config)) {
    const where = config.instagram.tokenStore;
    const store =
      where?.type === "ssm"
        ? new SsmTokenStore(where.parameter, new SSMClient({ region: config.region }))
        : where?.type === "file"
          ? new FileTokenStore(where.path)
          : undefined;
    stores.set(config, store);
  }
  return stores.get(config);
}

/**
 * The token in force: the stored one, unless the configuration now holds a different token than
 * the one the store descends from (an operator configured a new token: it wins, problem or not).
 */
export async function currentToken(config: Config, store = openTokenStore(config)): Promise<StoredToken> {
  const seedHash = sha256Hex(Buffer.from(config.instagram.accessToken));
  const stored = await store?.read();
  return stored?.seedHash === seedHash ? stored : { accessToken: config.instagram.accessToken, seedHash };
}

/**
 * `GraphClientOptions.accessToken` as a function, so a refreshed token is picked up without a
 * restart. SSM reads are cached for `cacheMs` (default 60 s); an old token stays valid meanwhile.
 */
export function tokenProvider(config: Config, store = openTokenStore(config), cacheMs?: number) {
  const ttl = cacheMs ?? (store?.kind === "ssm" ? 60_000 : 0);
  let cached: { token: string; until: number } | undefined;
  return async (): Promise<string> => {
    if (cached && cached.until > Date.now()) return cached.token;
    const { accessToken } = await currentToken(config, store);
    cached = { token: accessToken, until: Date.now() + ttl };
    return accessToken;
  };
}

/**
 * The Graph API client over the token in force (see {@link tokenProvider}): what a runtime should
 * `createRuntime` uses whenever `instagram.tokenStore` is set.
 */
export function createTokenGraph(config: Config): GraphClient {
  const { graphBaseUrl, apiVersion, userId } = config.instagram;
  return createGraphClient({ baseUrl: graphBaseUrl, apiVersion, userId, accessToken: tokenProvider(config) });
}

export type RefreshOutcome =
  | { refreshed: true; expiresAt: string }
  | { refreshed: false; reason: "no_store" | "not_due" | "too_young" | "unsupported"; expiresAt?: string }
  | { refreshed: false; reason: "invalid"; problem: NonNullable<StoredToken["problem"]> };

/**
 * The scheduled job: refreshes the token when fewer than `instagram.tokenRefreshDays` are left (or
 * its expiry is unknown) and stores the new one. `now` is the clock token lifetimes run on.
 */
export async function refreshStoredToken(
  config: Config,
  options: { store?: TokenStore; now?: () => Date; fetch?: typeof fetch } = {},
): Promise<RefreshOutcome> {
  const store = options.store ?? openTokenStore(config);
  if (!store) return { refreshed: false, reason: "no_store" };
  const now = (options.now ?? (() => new Date()))();
  const current = await currentToken(config, store);
  const { expiresAt } = current;
  if (expiresAt && Date.parse(expiresAt) - now.getTime() > config.instagram.tokenRefreshDays * DAY_MS) {
    return { refreshed: false, reason: "not_due", expiresAt };
  }
  const { graphBaseUrl, apiVersion, userId } = config.instagram;
  const graph = createGraphClient({
    baseUrl: graphBaseUrl,
    apiVersion,
    userId,
    accessToken: current.accessToken,
    ...(options.fetch && { fetch: options.fetch }),
  });
  try {
    const fresh = await graph.refreshToken();
    const next: StoredToken = {
      accessToken: fresh.accessToken,
      expiresAt: new Date(now.getTime() + fresh.expiresIn * 1000).toISOString(),
      refreshedAt: now.toISOString(),
      seedHash: current.seedHash,
    };
    await store.write(next);
    return { refreshed: true, expiresAt: next.expiresAt as string };
  } catch (error) {
    // Meta refuses to refresh a token younger than 24 h (#10): try again on the next run.
    if (error instanceof GraphApiError && error.graphCode === 10 && /24 hours/.test(error.message)) {
      return { refreshed: false, reason: "too_young", ...(expiresAt && { expiresAt }) };
    }
    if (error instanceof PhotoRelayError && error.code === "instagram_unsupported") {
      return { refreshed: false, reason: "unsupported" };
    }
    if (error instanceof GraphApiError && error.kind === "auth") {
      const problem = describeProblem(error, now);
      await store.write({ ...current, problem });
      return { refreshed: false, reason: "invalid", problem };
    }
    throw error;
  }
}

/** Records that Instagram refused the token in force, so publishing stops and `/status` says why. */
export async function noteTokenProblem(rt: Runtime, error: GraphApiError): Promise<void> {
  const store = openTokenStore(rt.config);
  if (!store) return;
  const current = await currentToken(rt.config, store);
  if (!current.problem) await store.write({ ...current, problem: describeProblem(error, rt.now()) });
}

/** The recorded refusal of the token in force as the error a publish step fails with, if any. */
export async function tokenRefusal(config: Config): Promise<PhotoRelayError | undefined> {
  if (!openTokenStore(config)) return undefined;
  const { problem } = await currentToken(config);
  if (!problem) return undefined;
  return new PhotoRelayError(
    "instagram_auth",
    `Instagram refused the access token (${problem.message}); configure a new token, then retry the photo`,
    { status: 502 },
  );
}

function describeProblem(error: GraphApiError, now: Date): NonNullable<StoredToken["problem"]> {
  const reason =
    error.graphCode === 190
      ? error.subcode === 463
        ? "expired"
        : "invalid"
      : error.graphCode === 10 || (error.graphCode ?? 0) >= 200
        ? "lacks a permission"
        : "refused";
  const code = `#${error.graphCode ?? "?"}${error.subcode ? `/${error.subcode}` : ""}`;
  return { code: error.code, message: `token ${reason} (${code})`, at: now.toISOString() };
}
