/**
 * The one error family of photo-relay. Every package throws these (or subclasses) so that each edge
 * (HTTP `onError`, the stage runner behind SQS `batchItemFailures`, the agent's retry loop)
 * translates errors in one place. Errors say what happened (`code`) and whether trying again can
 * help (`retryable`); what that means for an HTTP answer is the API's business, not theirs.
 */
export type ErrorCode = string;

export interface PhotoRelayErrorOptions {
  /** Whether trying the same thing again later can succeed. */
  retryable?: boolean;
  cause?: unknown;
}

/** A visible error: `code` is stable and machine-readable, `message` is safe to show (never a secret). */
export class PhotoRelayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: PhotoRelayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PhotoRelayError";
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** The configuration is invalid; `issues` names each field and what is wrong with it. */
export class ConfigError extends PhotoRelayError {
  readonly issues: string[];
  constructor(issues: string[]) {
    super("config_invalid", `invalid configuration:\n  - ${issues.join("\n  - ")}`);
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Input that will never succeed: a bad request body, an unsupported file, a rejected image. */
export class ValidationError extends PhotoRelayError {
  constructor(code: ErrorCode, message: string, options: Omit<PhotoRelayErrorOptions, "retryable"> = {}) {
    super(code, message, { ...options, retryable: false });
    this.name = "ValidationError";
  }
}

export class NotFoundError extends PhotoRelayError {
  constructor(what: string) {
    super("not_found", `${what} not found`);
    this.name = "NotFoundError";
  }
}

/** A request without valid credentials (the API's bearer token, a guest link's token). */
export class UnauthorizedError extends PhotoRelayError {
  constructor(message: string) {
    super("unauthorized", message);
    this.name = "UnauthorizedError";
  }
}

/** A passing failure (network, throttling, a peer that is down): the same work may succeed later. */
export class RetryableError extends PhotoRelayError {
  constructor(code: ErrorCode, message: string, options: Omit<PhotoRelayErrorOptions, "retryable"> = {}) {
    super(code, message, { ...options, retryable: true });
    this.name = "RetryableError";
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/**
 * Whether an error is worth retrying. Our own errors say so themselves; for foreign errors (AWS SDK,
 * Node sockets, fetch) network failures, throttling and 5xx responses count as retryable.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof PhotoRelayError) return error.retryable;
  if (!(error instanceof Error)) return false;
  const e = error as Error & {
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
  };
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (e.$retryable) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (e.name === "TimeoutError" || e.name === "AbortError" || e.name === "TypeError") {
    // fetch() throws TypeError("fetch failed") for network failures.
    return e.name !== "TypeError" || e.message === "fetch failed";
  }
  return e.cause !== undefined && e.cause !== error && isRetryable(e.cause);
}

/** A short, secret-free description of any thrown value, for logs and recorded states. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof PhotoRelayError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as Error & { code?: string }).code ?? error.name;
    return { code: String(code), message: error.message };
  }
  return { code: "unknown", message: String(error) };
}
