/** A FIFO counting semaphore: bounds parts in flight (and so memory) across all uploads. */
export class Semaphore {
  #size: number;
  #free: number;
  readonly #waiting: Array<() => void> = [];

  constructor(size: number) {
    this.#size = size;
    this.#free = size;
  }

  get size(): number {
    return this.#size;
  }

  /** Grows or shrinks the semaphore; holders past a smaller size finish, and are not replaced. */
  resize(size: number): void {
    this.#free += size - this.#size;
    this.#size = size;
    this.#wake();
  }

  #wake(): void {
    while (this.#free > 0 && this.#waiting.length) {
      this.#free--;
      this.#waiting.shift()?.();
    }
  }

  /** Resolves with a release function once a slot is free; calling it more than once is harmless. */
  async acquire(): Promise<() => void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#free++;
      this.#wake();
    };
  }
}
