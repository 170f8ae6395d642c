/** What `GET /status` says about the Instagram token: valid or not, why, and days left. */
import type { TokenKeeper } from "./token-keeper.ts";

export interface TokenStatus {
  /** Where the token in force comes from: the refreshed copy in a store, or the configuration. */
  source: "ssm" | "file" | "config";
  /**
   * Whether the token is refreshed before it expires: only with a store to keep the refreshed
   * token in (`instagram.tokenStore`); a token set in the configuration alone is used as it is.
   */
  refresh: "configured" | "not configured";
  valid: boolean;
  expiresAt?: string;
  /** Whole days until it expires (negative once expired); absent while the expiry is unknown. */
  daysLeft?: number;
  refreshedAt?: string;
  /** Why it is not valid (secret-free). */
  problem?: { code: string; message: string; at?: string };
}

/**
 * The token's state from the store, plus `liveError`: the error a live Graph API call just gave,
 * if any (a token refused there is invalid even before the pipeline noticed).
 */
export async function tokenStatus(
  tokens: TokenKeeper,
  now: Date,
  liveError?: { code: string; message: string },
): Promise<TokenStatus> {
  const [token, problem] = await Promise.all([tokens.current(), tokens.problem()]);
  const { store } = tokens;
  const stored = store !== undefined && token.accessToken !== tokens.configured;
  const status: TokenStatus = {
    source: stored && store ? store.kind : "config",
    refresh: store ? "configured" : "not configured",
    valid: true,
  };
  if (token.refreshedAt) status.refreshedAt = token.refreshedAt;
  if (token.expiresAt) {
    status.expiresAt = token.expiresAt;
    status.daysLeft = Math.floor((Date.parse(token.expiresAt) - now.getTime()) / 86_400_000);
    if (Date.parse(token.expiresAt) <= now.getTime()) {
      status.valid = false;
      status.problem = { code: "instagram_auth", message: "the token has expired" };
    }
  }
  if (problem) {
    status.valid = false;
    status.problem = { code: problem.code, message: problem.message, at: problem.at };
  } else if (liveError?.code === "instagram_auth") {
    status.valid = false;
    status.problem = liveError;
  }
  return status;
}
