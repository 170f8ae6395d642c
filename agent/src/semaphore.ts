/** A FIFO counting semaphore: bounds parts in flight (and so memory) across all uploads. */
export class Semaphore {
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#free = size;
  }

  /** Resolves with a release function once a slot is free; call it exactly once. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    };
  }
}

/** One critical section per key (a photo's SHA-256): spooling new copies vs. finishing a delivery. */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    const chained = previous.then(() => tail);
    this.#tails.set(key, chained);
    await previous;
    try {
      return await fn();
    } finally {
      done();
      if (this.#tails.get(key) === chained) this.#tails.delete(key);
    }
  }
}

/** Part buffers: at most `size` in use, each reused, so upload memory stays at size × bytes. */
export class BufferPool {
  readonly #slots: Semaphore;
  readonly #free: Buffer[] = [];
  readonly #bytes: number;

  constructor(size: number, bytes: number) {
    this.#slots = new Semaphore(size);
    this.#bytes = bytes;
  }

  /** Waits for a free slot; `release` returns the buffer (call it once the request has settled). */
  async acquire(length: number): Promise<{ buffer: Buffer; release: () => void }> {
    const releaseSlot = await this.#slots.acquire();
    // A resumed upload may use a larger part size than the pool's: that part gets its own buffer.
    const whole =
      length <= this.#bytes
        ? (this.#free.pop() ?? Buffer.allocUnsafeSlow(this.#bytes))
        : Buffer.allocUnsafeSlow(length);
    let released = false;
    return {
      buffer: whole.subarray(0, length),
      release: () => {
        if (released) return;
        released = true;
        if (whole.length === this.#bytes) this.#free.push(whole);
        releaseSlot();
      },
    };
  }
}

/** Runs at most `size` tasks at once. */
export class Limiter {
  readonly #slots: Semaphore;

  constructor(size: number) {
    this.#slots = new Semaphore(size);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    const release = await this.#slots.acquire();
    try {
      return await task();
    } finally {
      release();
    }
  }
}
