/**
 * Access tokens the sandbox accepts, with Meta's lifetimes: Instagram-Login short-lived 1 h, long-lived
 * 60 days (refreshable when ≥ 24 h old and unexpired); Facebook-Login user tokens 1 h / ~60 days.
 */
import { randomBytes } from "node:crypto";
import type { VirtualClock } from "./clock.ts";
import { errors, GraphError } from "./graph-error.ts";

export type TokenKind = "ig_short" | "ig_long" | "fb_short" | "fb_long" | "fb_page";

export interface TokenRecord {
  token: string;
  kind: TokenKind;
  issuedAt: number;
  /** Epoch ms; `null` never expires (the local stack's default token, Page tokens). */
  expiresAt: number | null;
}

export const HOUR_S = 3600;
export const DAY_S = 24 * HOUR_S;
/** Default lifetimes in seconds; 5183944 is the `expires_in` Meta's FB long-lived exchange sample shows. */
export const TOKEN_TTL_S: Record<TokenKind, number | null> = {
  ig_short: HOUR_S,
  ig_long: 60 * DAY_S,
  fb_short: HOUR_S,
  fb_long: 5_183_944,
  fb_page: null,
};

export class TokenStore {
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #clock: VirtualClock;

  constructor(clock: VirtualClock) {
    this.#clock = clock;
  }

  /**
   * Issues a token of `kind`. `ttlSeconds` overrides the documented lifetime (`null`: never expires);
   * `token` fixes the string (e.g. a well-known token for the local stack).
   */
  issue(kind: TokenKind, ttlSeconds?: number | null, token?: string): TokenRecord {
    const ttl = ttlSeconds === undefined ? TOKEN_TTL_S[kind] : ttlSeconds;
    const now = this.#clock.now();
    const prefix = kind.startsWith("ig") ? "IGAA" : "EAA";
    const record: TokenRecord = {
      token: token ?? `${prefix}${randomBytes(24).toString("base64url")}`,
      kind,
      issuedAt: now,
      expiresAt: ttl === null ? null : now + ttl * 1000,
    };
    this.#tokens.set(record.token, record);
    return record;
  }

  /** The token's record, or the Graph error Meta returns for it (104 missing, 190/467 unknown, 190/463 expired). */
  check(token: string | undefined): TokenRecord {
    if (!token) throw errors.missingToken();
    const record = this.#tokens.get(token);
    if (!record) throw errors.invalidToken();
    const now = this.#clock.now();
    if (record.expiresAt !== null && record.expiresAt <= now)
      throw errors.expiredToken(record.expiresAt, now);
    return record;
  }

  /** `ig_exchange_token`: short-lived Instagram token → long-lived (60 d). */
  exchangeInstagram(shortToken: string | undefined, clientSecret: string | undefined): TokenRecord {
    if (!clientSecret) throw errors.param("Missing client_secret parameter.");
    const record = this.check(shortToken);
    if (record.kind !== "ig_short")
      throw errors.param("Invalid access token: only short-lived tokens can be exchanged.");
    return this.issue("ig_long");
  }

  /** `ig_refresh_token`: long-lived Instagram token at least 24 h old and unexpired → a fresh 60-day token. */
  refreshInstagram(longToken: string | undefined): TokenRecord {
    const record = this.check(longToken);
    if (record.kind !== "ig_long") throw errors.unsupportedMethod("get");
    if (this.#clock.now() - record.issuedAt < DAY_S * 1000) {
      throw new GraphError({
        code: 10,
        message: "(#10) The access token must be at least 24 hours old to be refreshed.",
      });
    }
    return this.issue("ig_long");
  }

  /** `fb_exchange_token`: Facebook user token → long-lived (~60 d); an expired token cannot be exchanged. */
  exchangeFacebook(
    token: string | undefined,
    clientId: string | undefined,
    clientSecret: string | undefined,
  ): TokenRecord {
    if (!clientId || !clientSecret) throw errors.param("Missing client_id or client_secret parameter.");
    const record = this.check(token);
    if (!record.kind.startsWith("fb")) throw errors.invalidToken();
    return this.issue("fb_long");
  }

  list(): TokenRecord[] {
    return [...this.#tokens.values()].map((r) => ({ ...r }));
  }
}
