/**
 * The token in force and what Instagram said about it. The configured long-lived token seeds the
 * store; the refresh job replaces the stored copy; a token Instagram refused is recorded with the
 * reason, so publishing stops with a clear state instead of asking again for every photo. Reads
 * are kept for a short while (a burst of publish steps reads SSM once, not once per photo).
 */
import { type Config, sha256Hex } from "@photo-relay/core";
import { type GraphApiError, TokenRefusedError } from "../errors.ts";
import { describeTokenRefusal } from "../graph-error-kinds.ts";
import type { StoredToken, TokenStore } from "./token-store.ts";

export interface TokenKeeperOptions {
  /** Read on every call, not copied: an operator who configures a new token is heard at once. */
  settings: Pick<Config["instagram"], "accessToken">;
  store?: TokenStore | undefined;
  /** How long a read of the store is reused; default 60 s for SSM, 0 for a file (free to read). */
  cacheMs?: number;
  now?: () => Date;
}

export class TokenKeeper {
  readonly store: TokenStore | undefined;
  readonly #settings: TokenKeeperOptions["settings"];
  readonly #cacheMs: number;
  readonly #now: () => Date;
  #cached: { seedHash: string; token: StoredToken; until: number } | undefined;

  constructor(options: TokenKeeperOptions) {
    this.store = options.store;
    this.#settings = options.settings;
    this.#cacheMs = options.cacheMs ?? (options.store?.kind === "ssm" ? 60_000 : 0);
    this.#now = options.now ?? (() => new Date());
  }

  /** The configured token. */
  get configured(): string {
    return this.#settings.accessToken;
  }

  /**
   * The token in force: the stored one, unless the configuration now holds a different token than
   * the one the store descends from (an operator configured a new token: it wins, problem or not).
   */
  async current(): Promise<StoredToken> {
    const seedHash = sha256Hex(Buffer.from(this.configured));
    const cached = this.#cached;
    if (cached?.seedHash === seedHash && cached.until > Date.now()) return cached.token;
    const stored = await this.store?.read();
    const token = stored?.seedHash === seedHash ? stored : { accessToken: this.configured, seedHash };
    this.#cached = { seedHash, token, until: Date.now() + this.#cacheMs };
    return token;
  }

  /** `GraphClientOptions.accessToken`: asked before every call, so a refreshed token is picked up. */
  async accessToken(): Promise<string> {
    return (await this.current()).accessToken;
  }

  /** The recorded refusal of the token in force as the error a publish step stops with, if any. */
  async refusal(): Promise<TokenRefusedError | undefined> {
    if (!this.store) return undefined;
    const { problem } = await this.current();
    return problem ? new TokenRefusedError(problem.message) : undefined;
  }

  /** Records that Instagram refused the token in force (once), so publishing stops and `/status` says why. */
  async noteRefusal(error: GraphApiError): Promise<void> {
    if (!this.store) return;
    const current = await this.current();
    if (current.problem) return;
    await this.write({ ...current, problem: this.problemOf(error) });
  }

  /** The refusal as stored: `{ code, message: "token expired (#190/463)", at }`. */
  problemOf(error: GraphApiError): NonNullable<StoredToken["problem"]> {
    return { code: error.code, message: describeTokenRefusal(error), at: this.#now().toISOString() };
  }

  /** Replaces the stored token (the refresh job, a refusal); later reads here see it at once. */
  async write(token: StoredToken): Promise<void> {
    if (!this.store) return;
    await this.store.write(token);
    this.#cached = { seedHash: token.seedHash, token, until: Date.now() + this.#cacheMs };
  }
}
