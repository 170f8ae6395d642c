/**
 * Rate limiting of failed authentication: each client address may present a wrong or missing
 * token `budget` times per `windowMs`; past that, its wrong tokens are answered 429 with
 * `Retry-After` until the window ends. A right token always passes — it is compared first — so a
 * client sharing an address with an attacker (one NAT, one machine) is never locked out, and the
 * 401/429 difference tells a guesser nothing. State is per process (per Lambda instance); API
 * Gateway's own throttling bounds the rest.
 */
import { PhotoRelayError } from "@photo-relay/core";

export interface AuthThrottleOptions {
  /** Failures allowed per window and address; default 20. */
  budget?: number;
  /** Default 60 s. */
  windowMs?: number;
  /** Addresses remembered at most (oldest forgotten first); default 10 000. */
  maxClients?: number;
  now?: () => number;
}

/** A client that presented too many wrong tokens; `retryAfterSeconds` until its window ends. */
export class AuthThrottledError extends PhotoRelayError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super("auth_throttled", `too many requests without a valid token; retry in ${retryAfterSeconds} s`);
    this.name = "AuthThrottledError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class AuthThrottle {
  readonly #budget: number;
  readonly #windowMs: number;
  readonly #maxClients: number;
  readonly #now: () => number;
  readonly #clients = new Map<string, { since: number; failures: number }>();

  constructor(options: AuthThrottleOptions = {}) {
    this.#budget = options.budget ?? 20;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxClients = options.maxClients ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Addresses remembered now (at most `maxClients`). */
  get size(): number {
    return this.#clients.size;
  }

  /** Counts one failure of `client`; throws {@link AuthThrottledError} once its budget is spent. */
  fail(client: string): void {
    const now = this.#now();
    let entry = this.#clients.get(client);
    if (!entry || now - entry.since >= this.#windowMs) {
      this.#clients.delete(client);
      entry = { since: now, failures: 0 };
      if (this.#clients.size >= this.#maxClients) {
        const oldest = this.#clients.keys().next().value;
        if (oldest !== undefined) this.#clients.delete(oldest);
      }
      this.#clients.set(client, entry);
    }
    entry.failures += 1;
    if (entry.failures > this.#budget) {
      throw new AuthThrottledError(Math.max(1, Math.ceil((entry.since + this.#windowMs - now) / 1000)));
    }
  }
}

/** The caller's address: API Gateway's source IP in Lambda, the socket's peer on Node. */
export function clientAddress(env: unknown): string {
  const e = env as {
    requestContext?: { identity?: { sourceIp?: string }; http?: { sourceIp?: string } };
    incoming?: { socket?: { remoteAddress?: string } };
  };
  return (
    e?.requestContext?.http?.sourceIp ??
    e?.requestContext?.identity?.sourceIp ??
    e?.incoming?.socket?.remoteAddress ??
    "unknown"
  );
}
