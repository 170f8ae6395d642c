/**
 * Meta's numeric error codes, read in this one place: the Graph API's error envelope becomes a
 * {@link GraphApiError} of a {@link GraphErrorKind}, and an `auth` error says what is wrong with
 * the token. The table and its sources: `docs/instagram-graph-api.md`.
 */
import { RetryableError } from "@photo-relay/core";
import { GraphApiError, type GraphErrorBody, type GraphErrorKind } from "./errors.ts";
import { redactUrl } from "./redact-url.ts";

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

/** Network failure or timeout talking to the Graph API: always worth retrying. */
export function networkError(method: string, url: URL, cause: unknown): RetryableError {
  const timeout = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
  const what = timeout ? "timed out" : `failed (${cause instanceof Error ? cause.message : String(cause)})`;
  return new RetryableError(
    timeout ? "instagram_timeout" : "instagram_network",
    `Graph API ${method} ${redactUrl(url)} ${what}`,
    { cause },
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

/** What an `auth` error says about the token, for `/status`: "token expired (#190/463)". */
export function describeTokenRefusal(error: GraphApiError): string {
  const reason =
    error.graphCode === 190
      ? error.subcode === 463
        ? "expired"
        : "invalid"
      : error.graphCode === 10 || (error.graphCode ?? 0) >= 200
        ? "lacks a permission"
        : "refused";
  return `token ${reason} (#${error.graphCode ?? "?"}${error.subcode ? `/${error.subcode}` : ""})`;
}

/** Meta refuses to refresh a token younger than 24 h (#10): not a refusal of the token, just too early. */
export const isRefreshTooEarly = (error: unknown): boolean =>
  error instanceof GraphApiError && error.graphCode === 10 && /24 hours/.test(error.message);
