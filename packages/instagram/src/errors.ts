/**
 * The Graph API's error envelope turned into one typed error, {@link GraphApiError}, whose `kind`
 * tells the caller what to do (instagram-api.md §4–5). Messages never carry the access token.
 */
import { PhotoRelayError, RetryableError } from "@photo-relay/core";

/**
 * - `transient`: retry the same call with backoff (1, 2, -1, -2, 9004/2207052, 24/2207008, 100/33 on a GET).
 * - `not_ready`: the container is still processing (9007/2207027): poll its status, then publish.
 * - `rate_limited`: call-rate limits (4, 17, 32, 341, 613, 80000–80014; HTTP 401 "too many actions");
 *   wait `retryAfterSeconds` when known.
 * - `quota_spent`: 9/2207042, the rolling 24 h publishing quota: defer the publish.
 * - `auth`: the token is invalid, expired or lacks a permission (190 + subcodes, 102, 104, 10, 200–299): a person must act.
 * - `blocked`: the account is restricted (25/2207050, 368) or suspected of spam (4/2207051): stop posting.
 * - `rejected`: this media or request can never succeed (36000–36004, 352/2207026, 2207057, 100-series validation).
 * - `container_invalid`: the container is gone (-2/2207020 expired, 24/2207006, -1/2207053): create a new one.
 */
export type GraphErrorKind =
  | "transient"
  | "not_ready"
  | "rate_limited"
  | "quota_spent"
  | "auth"
  | "blocked"
  | "rejected"
  | "container_invalid";

/** What Meta's envelope `{"error":{…}}` holds. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
  fbtrace_id?: string;
}

export interface GraphApiErrorInit {
  kind: GraphErrorKind;
  message: string;
  httpStatus: number;
  body?: GraphErrorBody;
  retryAfterSeconds?: number;
}

const RETRYABLE: ReadonlySet<GraphErrorKind> = new Set([
  "transient",
  "not_ready",
  "rate_limited",
  "quota_spent",
]);
const STATUS: Record<GraphErrorKind, number> = {
  transient: 503,
  not_ready: 503,
  rate_limited: 429,
  quota_spent: 429,
  auth: 502,
  blocked: 502,
  rejected: 422,
  container_invalid: 503,
};

/** A Graph API error response. `code` (inherited, a string) is `instagram_<kind>`; Meta's number is `graphCode`. */
export class GraphApiError extends PhotoRelayError {
  readonly kind: GraphErrorKind;
  readonly graphCode: number | undefined;
  readonly subcode: number | undefined;
  readonly fbtraceId: string | undefined;
  readonly httpStatus: number;
  readonly type: string | undefined;
  readonly userTitle: string | undefined;
  readonly userMsg: string | undefined;
  /** From `estimated_time_to_regain_access` (rate limits only). */
  readonly retryAfterSeconds: number | undefined;
  /** Retrying with the same container is pointless (or only worth once, for 24/2207008): make a new one. */
  readonly recreateContainer: boolean;

  constructor(init: GraphApiErrorInit) {
    super(`instagram_${init.kind}`, init.message, {
      retryable: RETRYABLE.has(init.kind),
      status: STATUS[init.kind],
    });
    this.name = "GraphApiError";
    this.kind = init.kind;
    this.graphCode = init.body?.code;
    this.subcode = init.body?.error_subcode;
    this.fbtraceId = init.body?.fbtrace_id;
    this.httpStatus = init.httpStatus;
    this.type = init.body?.type;
    this.userTitle = init.body?.error_user_title;
    this.userMsg = init.body?.error_user_msg;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.recreateContainer =
      init.kind === "container_invalid" || (this.graphCode === 24 && this.subcode === 2207008);
  }
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 341, 613]);
const TRANSIENT_CODES = new Set([1, 2, -1, -2, 9004]);
const AUTH_CODES = new Set([190, 102, 104, 10]);
const REJECTED_CODES = new Set([36000, 36001, 36002, 36003, 36004, 352, 506]);

/** Which kind an error is. `method` matters: 100/33 on a GET of a fresh object is a Meta bug, not a missing object. */
export function classifyGraphError(
  httpStatus: number,
  body: GraphErrorBody | undefined,
  method: string,
): GraphErrorKind {
  const code = body?.code;
  const sub = body?.error_subcode;
  // Postiz v1.62.1: Instagram answers 401 for "too many actions"; treating it as auth loops re-logins.
  if (httpStatus === 401 && /too many actions/i.test(body?.message ?? "")) return "rate_limited";
  if (code === undefined) return httpStatus >= 500 || httpStatus === 429 ? "transient" : "rejected";
  if (code === 4 && sub === 2207051) return "blocked";
  if (code === 25 || code === 368 || sub === 2207050) return "blocked";
  if (code === 9) return "quota_spent";
  if (code === 9007 || sub === 2207027) return "not_ready";
  if (sub === 2207020 || sub === 2207006 || sub === 2207053) return "container_invalid";
  if (sub === 2207057 || sub === 2207026) return "rejected";
  if (code === 24) return "transient";
  if (code === 100 && sub === 33 && method === "GET") return "transient";
  if (RATE_LIMIT_CODES.has(code) || (code >= 80000 && code <= 80014)) return "rate_limited";
  if (TRANSIENT_CODES.has(code)) return "transient";
  if (AUTH_CODES.has(code) || (code >= 200 && code <= 299)) return "auth";
  if (REJECTED_CODES.has(code) || code === 100) return "rejected";
  if (body?.is_transient === true || httpStatus >= 500) return "transient";
  return "rejected";
}

/** Drops secrets from a URL before it goes into a message: tokens, app secrets, exchange tokens. */
export function redactUrl(url: string | URL): string {
  const u = new URL(url);
  for (const key of ["access_token", "client_secret", "fb_exchange_token", "input_token"]) {
    if (u.searchParams.has(key)) u.searchParams.set(key, "REDACTED");
  }
  return u.toString().replace(/REDACTED/g, "…");
}

/** Network failure or timeout talking to the Graph API: always worth retrying. */
export function networkError(method: string, url: URL, cause: unknown): RetryableError {
  const timeout = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
  const what = timeout ? "timed out" : `failed (${cause instanceof Error ? cause.message : String(cause)})`;
  return new RetryableError(
    timeout ? "instagram_timeout" : "instagram_network",
    `Graph API ${method} ${redactUrl(url)} ${what}`,
    {
      cause,
    },
  );
}

/** Builds the error for a failed response (body already parsed; `undefined` when it was not JSON). */
export function graphApiError(
  method: string,
  url: URL,
  httpStatus: number,
  payload: unknown,
  retryAfterSeconds: number | undefined,
): GraphApiError {
  const body = (payload as { error?: GraphErrorBody } | undefined)?.error;
  const kind = classifyGraphError(httpStatus, body, method);
  const codes =
    body?.code === undefined
      ? `HTTP ${httpStatus}`
      : `(#${body.code}${body.error_subcode ? `/${body.error_subcode}` : ""})`;
  const trace = body?.fbtrace_id ? ` [fbtrace_id ${body.fbtrace_id}]` : "";
  const message = `Graph API ${method} ${redactUrl(url)}: ${codes} ${body?.message ?? "unexpected response"}${trace}`;
  return new GraphApiError({
    kind,
    message,
    httpStatus,
    ...(body && { body }),
    ...(kind === "rate_limited" && retryAfterSeconds !== undefined && { retryAfterSeconds }),
  });
}
