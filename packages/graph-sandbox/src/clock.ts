/**
 * The sandbox's notion of "now". Tests jump it forward to pass processing delays, the 24 h container
 * expiry, the rolling publish window and token lifetimes without sleeping.
 */
export interface VirtualClockOptions {
  /** Epoch ms the clock starts at; defaults to the real time. */
  startMs?: number;
  /** A frozen clock moves only through {@link VirtualClock.advance}; a running one follows real time plus the offset. */
  frozen?: boolean;
}

export class VirtualClock {
  #offsetMs = 0;
  #frozenAt: number | undefined;

  constructor(options: VirtualClockOptions = {}) {
    const start = options.startMs ?? Date.now();
    if (options.frozen) this.#frozenAt = start;
    else this.#offsetMs = start - Date.now();
  }

  /** Current virtual time in epoch ms. */
  now(): number {
    return this.#frozenAt ?? Date.now() + this.#offsetMs;
  }

  /** Moves time forward (never backward: expiries and windows must stay monotonic). */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    if (this.#frozenAt !== undefined) this.#frozenAt += ms;
    else this.#offsetMs += ms;
    return this.now();
  }

  advanceSeconds(seconds: number): number {
    return this.advance(seconds * 1000);
  }

  get frozen(): boolean {
    return this.#frozenAt !== undefined;
  }
}
