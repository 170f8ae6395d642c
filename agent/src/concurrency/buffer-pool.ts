import { sharedBuffer, touchPages } from "../digest-thread.ts";
import { Semaphore } from "./semaphore.ts";

/**
 * Part buffers: at most `size` in use, each reused, so upload memory stays at size × bytes. They
 * are shared memory, so the digest thread hashes a part where it lies (`digest-thread.ts`).
 */
export class BufferPool {
  readonly #slots: Semaphore;
  readonly #free: Buffer[] = [];
  readonly #bytes: number;
  #made = 0;

  constructor(size: number, bytes: number) {
    this.#slots = new Semaphore(size);
    this.#bytes = bytes;
  }

  /** Buffers that may be in use at once (part buffers are allocated only when first needed). */
  resize(size: number): void {
    if (size !== this.#slots.size) this.#slots.resize(size);
  }

  /**
   * Allocates the part buffers ahead of the first file and has the digest thread touch their pages,
   * so the first parts do not pay for it (a fresh 8 MiB buffer: ≈ 40 ms of page faults here, a
   * reused one ≈ 4 ms to fill from the page cache). Upload memory is spent from the start.
   */
  async warm(): Promise<void> {
    while (this.#made < this.#slots.size) {
      const buffer = this.#make();
      await touchPages(buffer);
      this.#free.push(buffer);
    }
  }

  /** Waits for a free slot; `release` returns the buffer (call it once the request has settled). */
  async acquire(length: number): Promise<{ buffer: Buffer; release: () => void }> {
    const releaseSlot = await this.#slots.acquire();
    // A resumed upload may use a larger part size than the pool's: that part gets its own buffer.
    const whole = length <= this.#bytes ? (this.#free.pop() ?? this.#make()) : sharedBuffer(length);
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

  #make(): Buffer {
    this.#made++;
    return sharedBuffer(this.#bytes);
  }
}
