/**
 * Fault switches: documented or observed Graph API failures that a test (or another process through
 * `/__sandbox/faults`) can arm for the next N matching requests.
 */
export const FAULT_NAMES = [
  /** Call-rate limit: code 4 (app), 17 (user), 32 (page), 613 (custom) or 80002 (IG BUC); any Graph call. */
  "rate_limit",
  /** HTTP 401 "User is performing too many actions" (postiz v1.62.1 notes); any Graph call. */
  "too_many_actions_401",
  /** -1/2207001 server error; any Graph call. */
  "server_error",
  /** Code 2 "Service temporarily unavailable"; any Graph call. */
  "service_unavailable",
  /** Code 1 "An unknown error occurred"; any Graph call. */
  "unknown_error",
  /** HTTP 403, code 200: a permission is missing (e.g. `ads_management` for Business-Manager Page roles); any Graph call. */
  "permission_missing",
  /** 4/2207051 suspected spam: same top code as the app rate limit; container creation and publish. */
  "spam_block",
  /** 25/2207050 restricted or checkpointed account; container creation and publish. */
  "account_restricted",
  /** 100/33 "Unsupported get request" on GETs of existing containers and media (Meta bug, postiz #1562). */
  "unsupported_get",
  /** 9004/2207052 "media could not be fetched" for a URL that works (Meta flake, mixpost #197). */
  "media_fetch_failed",
  /** 24/2207008 creation id unknown/expired on media_publish for an id that exists. */
  "creation_id_expired",
  /** 9007/2207027 "Media ID is not available" on media_publish of a FINISHED container (Meta answers it a while after FINISHED too). */
  "media_not_ready",
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

export interface FaultOptions {
  /** How many matching requests fail; default 1, `Infinity` until cleared. */
  times?: number;
  /** Error code for `rate_limit` (4, 17, 32, 613, 80002; default 4) or `too_many_actions_401` (default 4). */
  code?: number;
  /** `estimated_time_to_regain_access` (minutes) reported in `X-Business-Use-Case-Usage` by `rate_limit`. */
  retryAfterMinutes?: number;
}

export interface ArmedFault extends FaultOptions {
  name: FaultName;
  remaining: number;
}

export function isFaultName(name: string): name is FaultName {
  return (FAULT_NAMES as readonly string[]).includes(name);
}

export class FaultSwitches {
  readonly #armed = new Map<FaultName, ArmedFault>();

  /** Arms `name` for the next `options.times` (default 1) matching requests, replacing an earlier setting. */
  set(name: FaultName, options: FaultOptions = {}): void {
    const remaining = options.times ?? 1;
    if (!(remaining > 0)) throw new RangeError(`fault ${name}: times must be > 0`);
    this.#armed.set(name, { ...options, name, remaining });
  }

  /** Disarms one fault, or all of them. */
  clear(name?: FaultName): void {
    if (name) this.#armed.delete(name);
    else this.#armed.clear();
  }

  /** Consumes one shot of `name` if armed. */
  take(name: FaultName): ArmedFault | undefined {
    const fault = this.#armed.get(name);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.#armed.delete(name);
    return fault;
  }

  list(): ArmedFault[] {
    return [...this.#armed.values()].map((f) => ({ ...f }));
  }
}
