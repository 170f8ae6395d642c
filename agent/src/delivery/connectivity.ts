/**
 * Online/offline state. A network failure anywhere switches to offline; one probe loop (HeadBucket
 * under the shared capped, jittered backoff) decides when S3 answers again and wakes the uploads.
 */
import { type BackoffOptions, isRetryable, retry } from "@photo-relay/core/edge";

export interface ConnectivityOptions {
  /** Any answer from S3 (even 403) counts as reachable; only network-class failures keep us offline. */
  probe: () => Promise<void>;
  onChange: (online: boolean, error?: unknown) => void;
  backoff: BackoffOptions;
  signal: AbortSignal;
}

export class Connectivity {
  #online = true;
  #waiters: Array<() => void> = [];
  readonly #options: ConnectivityOptions;

  constructor(options: ConnectivityOptions) {
    this.#options = options;
  }

  get online(): boolean {
    return this.#online;
  }

  markOffline(error: unknown): void {
    if (!this.#online || this.#options.signal.aborted) return;
    this.#online = false;
    this.#options.onChange(false, error);
    void this.#probeUntilOnline();
  }

  /** Resolves when online (immediately if already). */
  waitOnline(): Promise<void> {
    if (this.#online) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  async #probeUntilOnline(): Promise<void> {
    const { probe, backoff, signal } = this.#options;
    try {
      await retry(
        async () => {
          try {
            await probe();
          } catch (error) {
            if (isRetryable(error)) throw error;
          }
        },
        { ...backoff, attempts: Number.POSITIVE_INFINITY, signal },
      );
    } catch {
      return; // stopped
    }
    this.#online = true;
    this.#options.onChange(true);
    for (const wake of this.#waiters.splice(0)) wake();
  }
}
