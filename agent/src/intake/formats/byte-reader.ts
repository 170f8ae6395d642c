/** Positioned reads through a window, so format checks can walk a file without loading it whole. */
import type { FileHandle } from "node:fs/promises";

export class ByteReader {
  readonly size: number;
  readonly #file: FileHandle;
  readonly #windowBytes: number;
  #backing: Buffer | undefined;
  #window: Buffer = Buffer.alloc(0);
  #start = 0;

  /** `windowBytes`: small for formats read here and there (TIFF, ISO-BMFF), large for scans (JPEG). */
  constructor(file: FileHandle, size: number, windowBytes = 64 * 1024) {
    this.#file = file;
    this.size = size;
    this.#windowBytes = windowBytes;
  }

  /** `length` bytes at `position` (fewer at the end of the file). */
  async read(position: number, length: number): Promise<Buffer> {
    if (position >= this.#start && position + length <= this.#start + this.#window.length)
      return Buffer.from(this.#window.subarray(position - this.#start, position - this.#start + length));
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, this.size - position)));
    const { bytesRead } = await this.#file.read(buffer, 0, buffer.length, position);
    return buffer.subarray(0, bytesRead);
  }

  /** The byte at `position`, or -1 past the end. */
  async byte(position: number): Promise<number> {
    if (position >= this.size) return -1;
    await this.#load(position);
    return this.#window[position - this.#start] ?? -1;
  }

  /** The position of the next `value` byte at or after `from`, or -1. Scans window by window. */
  async indexOf(value: number, from: number): Promise<number> {
    for (let at = from; at < this.size; ) {
      await this.#load(at);
      const found = this.#window.indexOf(value, at - this.#start);
      if (found >= 0) return this.#start + found;
      at = this.#start + this.#window.length;
    }
    return -1;
  }

  /**
   * The loaded bytes from `position` on (at least one byte unless past the end), so that a scan
   * walks them without a promise per byte; `start` is the file position of `bytes[0]`.
   */
  async windowAt(position: number): Promise<{ start: number; bytes: Buffer }> {
    if (position >= this.size) return { start: position, bytes: Buffer.alloc(0) };
    await this.#load(position);
    return { start: this.#start, bytes: this.#window };
  }

  async #load(position: number): Promise<void> {
    if (position >= this.#start && position < this.#start + this.#window.length) return;
    this.#backing ??= Buffer.allocUnsafe(this.#windowBytes);
    const { bytesRead } = await this.#file.read(this.#backing, 0, this.#windowBytes, position);
    this.#start = position;
    this.#window = this.#backing.subarray(0, bytesRead);
  }
}

/** What a format check found: complete and proven by the structure, complete by heuristics only, or not. */
export type Completeness = { complete: true; proven: boolean } | { complete: false; problem: string };

export const proven: Completeness = { complete: true, proven: true };
export const plausible: Completeness = { complete: true, proven: false };
export const incomplete = (problem: string): Completeness => ({ complete: false, problem });

export function isZero(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}
