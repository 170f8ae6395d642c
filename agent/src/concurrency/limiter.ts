import { Semaphore } from "./semaphore.ts";

/** Runs at most `size` tasks at once; the others wait their turn (first come, first served). */
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
