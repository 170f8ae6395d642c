/** The one retry/backoff helper: capped exponential backoff with full jitter. */
import { setTimeout as sleep } from "node:timers/promises";
import { isRetryable } from "./errors.ts";

export interface BackoffOptions {
  /** Delay before the first retry, in ms. */
  baseMs?: number;
  /** Largest delay, in ms. */
  maxMs?: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/**
 * Delay before retry number `attempt` (1-based): a random value in [base·2^(n-1)/2, base·2^(n-1)],
 * capped at `maxMs` ("equal jitter", so a delay never collapses to zero).
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, maxMs = 30_000, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface RetryOptions extends BackoffOptions {
  /** Total tries including the first; `Infinity` retries until `signal` aborts. */
  attempts?: number;
  /** Which errors are worth another try; defaults to {@link isRetryable}. */
  shouldRetry?: (error: unknown) => boolean;
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

/**
 * Runs `fn` until it succeeds, a non-retryable error is thrown, or the attempts are used up.
 * @example await retry(() => s3.send(cmd), { attempts: 5 })
 */
export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { attempts = 3, shouldRetry = isRetryable, onRetry, signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !shouldRetry(error) || signal?.aborted) throw error;
      const delay = backoffDelay(attempt, options);
      onRetry?.(error, attempt, delay);
      await sleep(delay, undefined, signal ? { signal } : undefined);
    }
  }
}
