import { sharedBuffer } from "../digest-thread.ts";
import { Semaphore } from "./semaphore.ts";

/**
 * Part buffers: at most `size` in use, each reused, so upload memory stays at size × bytes. They
 * are shared memory, so the digest thread hashes a part where it lies (`digest-thread.ts`).
 */
export class BufferPool {
  readonly #slots: Semaphore;
  readonly #free: Buffer[] = [];
  readonly #bytes: number;

  constructor(size: number, bytes: number) {
    this.#slots = new Semaphore(size);
    this.#bytes = bytes;
  }

  /** Buffers that may be in use at once (part buffers are allocated only when first needed). */
  resize(size: number): void {
    if (size !== this.#slots.size) this.#slots.resize(size);
  }

  /** Waits for a free slot; `release` returns the buffer (call it once the request has settled). */
  async acquire(length: number): Promise<{ buffer: Buffer; release: () => void }> {
    const releaseSlot = await this.#slots.acquire();
    // A resumed upload may use a larger part size than the pool's: that part gets its own buffer.
    const whole =
      length <= this.#bytes ? (this.#free.pop() ?? sharedBuffer(this.#bytes)) : sharedBuffer(length);
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
