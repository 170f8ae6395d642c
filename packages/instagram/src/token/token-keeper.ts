/**
 * The token in force and what Instagram said about it. The configured long-lived token seeds the
 * store; the refresh job replaces the stored copy; a token Instagram refused is recorded in the
 * problem log with the reason, so publishing stops with a clear state instead of asking again for
 * every photo. Reads are kept for a short while (a burst of publish steps reads SSM once, not
 * once per photo).
 */
import { type Config, sha256Hex } from "@photo-relay/core";
import { type GraphApiError, TokenRefusedError } from "../errors.ts";
import { describeTokenRefusal } from "../graph-error-kinds.ts";
import { MemoryTokenProblems, type TokenProblem, type TokenProblemLog } from "./token-problems.ts";
import type { StoredToken, TokenStore } from "./token-store.ts";

export interface TokenKeeperOptions {
  /** Read on every call, not copied: an operator who configures a new token is heard at once. */
  settings: { accessToken: NonNullable<Config["instagram"]["accessToken"]> };
  store?: TokenStore | undefined;
  /** Where refusals are recorded; by default this process alone remembers them. */
  problems?: TokenProblemLog | undefined;
  /** How long a read of the store or the log is reused; default 60 s for SSM, 0 for a file (free to read). */
  cacheMs?: number;
  now?: () => Date;
}

interface Cached<T> {
  key: string;
  value: T;
  until: number;
}

export class TokenKeeper {
  readonly store: TokenStore | undefined;
  readonly #problems: TokenProblemLog;
  readonly #settings: TokenKeeperOptions["settings"];
  readonly #cacheMs: number;
  readonly #now: () => Date;
  #token: Cached<StoredToken> | undefined;
  #problem: Cached<TokenProblem | undefined> | undefined;

  constructor(options: TokenKeeperOptions) {
    this.store = options.store;
    this.#problems = options.problems ?? new MemoryTokenProblems();
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
    if (this.#token?.key === seedHash && this.#token.until > Date.now()) return this.#token.value;
    const stored = await this.store?.read();
    const token = stored?.seedHash === seedHash ? stored : { accessToken: this.configured, seedHash };
    this.#token = { key: seedHash, value: token, until: Date.now() + this.#cacheMs };
    return token;
  }

  /** `GraphClientOptions.accessToken`: asked before every call, so a refreshed token is picked up. */
  async accessToken(): Promise<string> {
    return (await this.current()).accessToken;
  }

  /** The recorded refusal of the token in force, if Instagram refused it. */
  async problem(): Promise<TokenProblem | undefined> {
    const tokenHash = sha256Hex(Buffer.from(await this.accessToken()));
    if (this.#problem?.key === tokenHash && this.#problem.until > Date.now()) return this.#problem.value;
    const recorded = await this.#problems.read();
    const problem = recorded?.tokenHash === tokenHash ? recorded : undefined;
    this.#problem = { key: tokenHash, value: problem, until: Date.now() + this.#cacheMs };
    return problem;
  }

  /**
   * The recorded refusal of the token in force as the error a publish step stops with, if any. A
   * refusal read from the cache is confirmed with a fresh read of the store and the log first: the
   * token may have been renewed meanwhile, and a photo retried right after the renewal must not
   * stop again for the old token's refusal (issue 14). Only refused steps pay the extra reads.
   */
  async refusal(): Promise<TokenRefusedError | undefined> {
    let problem = await this.problem();
    if (problem && this.#cacheMs > 0) {
      this.#token = undefined;
      this.#problem = undefined;
      problem = await this.problem();
    }
    return problem ? new TokenRefusedError(problem.message) : undefined;
  }

  /**
   * Records (once) that Instagram refused the token in force, so publishing stops and `/status`
   * says why; returns the record. `refused` is the token the refused call carried (default: the
   * one in force): a call sent with a token that has been replaced since (renewed, refreshed)
   * records nothing, or the new token would be refused for the old one's expiry.
   */
  async noteRefusal(error: GraphApiError, refused?: string): Promise<TokenProblem> {
    const current = await this.accessToken();
    const problem: TokenProblem = {
      code: error.code,
      message: describeTokenRefusal(error),
      at: this.#now().toISOString(),
      tokenHash: sha256Hex(Buffer.from(refused ?? current)),
    };
    if (refused !== undefined && refused !== current) return problem;
    const known = await this.problem();
    if (known) return known;
    await this.#problems.write(problem);
    this.#problem = { key: problem.tokenHash, value: problem, until: Date.now() + this.#cacheMs };
    return problem;
  }

  /** Replaces the stored token (the refresh job); later reads here see it at once. */
  async write(token: StoredToken): Promise<void> {
    if (!this.store) return;
    await this.store.write(token);
    this.#token = { key: token.seedHash, value: token, until: Date.now() + this.#cacheMs };
  }
}
