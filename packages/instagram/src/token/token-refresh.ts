/**
 * The scheduled refresh of the Instagram token. Instagram Login tokens last 60 days and can be
 * refreshed once they are 24 h old; the job renews the token in force when it nears its end and
 * stores the new one, so nobody has to paste a token every two months.
 */

import { AccountSetupError, GraphApiError } from "../errors.ts";
import { createGraphClient } from "../graph-client.ts";
import { isRefreshTooEarly } from "../graph-error-kinds.ts";
import type { InstagramSettings } from "../instagram-account.ts";
import type { TokenKeeper } from "./token-keeper.ts";
import type { TokenProblem } from "./token-problems.ts";
import type { StoredToken } from "./token-store.ts";

const DAY_MS = 86_400_000;

export type RefreshOutcome =
  | { refreshed: true; expiresAt: string }
  | { refreshed: false; reason: "no_store" | "not_due" | "too_young" | "unsupported"; expiresAt?: string }
  | { refreshed: false; reason: "invalid"; problem: Omit<TokenProblem, "tokenHash"> };

export interface RefreshOptions {
  /** The clock token lifetimes run on (the sandbox's virtual clock in the local stack). */
  now?: () => Date;
  fetch?: typeof fetch;
}

/**
 * Refreshes the token when fewer than `instagram.tokenRefreshDays` are left (or its expiry is
 * unknown) and stores the new one. A token Instagram refuses is recorded as refused (in the
 * keeper's problem log, not in the store).
 * @example const outcome = await refreshStoredToken(tokens, config.instagram);
 */
export async function refreshStoredToken(
  tokens: TokenKeeper,
  settings: InstagramSettings,
  options: RefreshOptions = {},
): Promise<RefreshOutcome> {
  if (!tokens.store) return { refreshed: false, reason: "no_store" };
  const now = (options.now ?? (() => new Date()))();
  const current = await tokens.current();
  const { expiresAt } = current;
  if (expiresAt && Date.parse(expiresAt) - now.getTime() > settings.tokenRefreshDays * DAY_MS) {
    return { refreshed: false, reason: "not_due", expiresAt };
  }
  const { graphBaseUrl, apiVersion, userId } = settings;
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
    await tokens.write(next);
    return { refreshed: true, expiresAt: next.expiresAt as string };
  } catch (error) {
    if (isRefreshTooEarly(error)) {
      return { refreshed: false, reason: "too_young", ...(expiresAt && { expiresAt }) };
    }
    if (error instanceof AccountSetupError && error.code === "instagram_unsupported")
      return { refreshed: false, reason: "unsupported" };
    if (error instanceof GraphApiError && error.kind === "auth") {
      const { tokenHash: _, ...problem } = await tokens.noteRefusal(error);
      return { refreshed: false, reason: "invalid", problem };
    }
    throw error;
  }
}
