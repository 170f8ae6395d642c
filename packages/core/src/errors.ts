/**
 * The one error family of photo-relay. Every package throws these (or subclasses) so that each edge
 * (HTTP `onError`, SQS `batchItemFailures`, the agent's retry loop) translates errors in one place.
 */
export type ErrorCode = string;

export interface PhotoRelayErrorOptions {
  /** Whether trying the same thing again later can succeed. */
  retryable?: boolean;
  /** HTTP status the API maps this error to. */
  status?: number;
  cause?: unknown;
}

/** A visible error: `code` is stable and machine-readable, `message` is safe to show (never a secret). */
export class PhotoRelayError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options: PhotoRelayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "PhotoRelayError";
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.status = options.status ?? 500;
  }
}

/** The configuration is invalid; `issues` names each field and what is wrong with it. */
export class ConfigError extends PhotoRelayError {
  readonly issues: string[];
  constructor(issues: string[]) {
    super("config_invalid", `invalid configuration:\n  - ${issues.join("\n  - ")}`, { status: 500 });
    this.name = "ConfigError";
    this.issues = issues;
  }
}

/** Input that will never succeed: a bad request body, an unsupported file, a rejected image. */
export class ValidationError extends PhotoRelayError {
  constructor(code: ErrorCode, message: string, options: Omit<PhotoRelayErrorOptions, "retryable"> = {}) {
    super(code, message, { status: 400, ...options, retryable: false });
    this.name = "ValidationError";
  }
}

export class NotFoundError extends PhotoRelayError {
  constructor(what: string) {
    super("not_found", `${what} not found`, { status: 404 });
    this.name = "NotFoundError";
  }
}

/** A passing failure (network, throttling, a peer that is down): the same work may succeed later. */
export class RetryableError extends PhotoRelayError {
  constructor(code: ErrorCode, message: string, options: Omit<PhotoRelayErrorOptions, "retryable"> = {}) {
    super(code, message, { status: 503, ...options, retryable: true });
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
