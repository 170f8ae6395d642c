/**
 * The local stack's stand-in for the daily token refresh function (EventBridge runs it in AWS):
 * at start and every hour, when a token store is configured. Without one, the configured token is
 * used as it is and nothing is tried (`/status` says `refresh: "not configured"`). A failed
 * refresh is one warning with its reason, not a stack trace per hour.
 */
import { describeError, type Logger } from "@photo-relay/core";
import { type RefreshOutcome, refreshStoredToken } from "@photo-relay/instagram";
import type { PublishRuntime } from "@photo-relay/pipeline/publish";

const TOKEN_REFRESH_MS = 3_600_000;

export interface TokenRefreshJob {
  /** Runs the refresh now (`no_store` when none is configured). */
  refresh(): Promise<RefreshOutcome>;
  stop(): void;
}

/** `now` is the clock token lifetimes run on (the sandbox's virtual clock, which tests move). */
export function startTokenRefresh(rt: PublishRuntime, now: () => Date, logger: Logger): TokenRefreshJob {
  const refresh = () => refreshStoredToken(rt.tokens, rt.config.instagram, { now });
  if (!rt.config.instagram.tokenStore) return { refresh, stop: () => {} };
  const run = () =>
    refresh().catch((error: unknown) =>
      logger.warn("Instagram token refresh failed; trying again in an hour", {
        reason: describeError(error),
      }),
    );
  void run();
  const timer = setInterval(run, TOKEN_REFRESH_MS).unref();
  return { refresh, stop: () => clearInterval(timer) };
}
