/**
 * The local stack's native heap bound (native-heap.ts): after it, a large buffer freed never
 * moves glibc's mmap threshold up, so the next large buffer is mapped on its own (and given back
 * to the OS when freed) instead of being carved from an arena that keeps the space.
 */

import { readFileSync } from "node:fs";
import koffi from "koffi";
import { describe, expect, it } from "vitest";
import { boundNativeHeap, startHeapTrim } from "../src/native-heap.ts";

const libc = koffi.load("libc.so.6");
const malloc = libc.func("void *malloc(size_t size)") as (size: number) => unknown;
const free = libc.func("void free(void *ptr)") as (ptr: unknown) => void;
const memset = libc.func("void *memset(void *s, int c, size_t n)") as (
  p: unknown,
  c: number,
  n: number,
) => unknown;
const MiB = 1024 * 1024;
const rssMiB = () => Number(readFileSync("/proc/self/status", "utf8").match(/^VmRSS:\s+(\d+)/m)?.[1]) / 1024;

/**
 * Whether the block at `ptr` is a mapping of its own: glibc starts a mapped block 16 bytes (its
 * header) past a page boundary, while blocks carved from an arena sit at any 16-byte boundary.
 * (Adjacent mappings merge in /proc/self/maps, so the page offset is the test, not the list.)
 */
function mappedAlone(ptr: unknown): boolean {
  return (BigInt(koffi.address(ptr)) - 16n) % 4096n === 0n;
}

describe("local stack: native heap", () => {
  it("keeps large buffers mapped after a larger one was freed (no dynamic mmap threshold)", async () => {
    expect(await boundNativeHeap(undefined, {})).toContain("mmap threshold");
    // Without the bound, freeing this mapped 24 MiB block raises the threshold to 24 MiB ...
    free(malloc(24 * MiB));
    // ... and these 4 MiB blocks would then come from the arena.
    const blocks = Array.from({ length: 4 }, () => malloc(4 * MiB));
    try {
      expect(blocks.map(mappedAlone)).toEqual([true, true, true, true]);
    } finally {
      for (const b of blocks) free(b);
    }
  });

  it("gives the free pages inside the arenas back to the OS", async () => {
    // 160 MiB in 64 KiB blocks (an HTTP body's chunks), under any mmap threshold: from the arena.
    const blocks = Array.from({ length: 2560 }, () => {
      const block = malloc(64 * 1024);
      memset(block, 1, 64 * 1024);
      return block;
    });
    // The last block stays, so the free space is not at the arena's top, where free() trims it.
    for (const b of blocks.slice(0, -1)) free(b);
    const before = rssMiB();
    const stop = await startHeapTrim(undefined, 50);
    try {
      await expect.poll(() => before - rssMiB(), { timeout: 5_000, interval: 100 }).toBeGreaterThan(100);
    } finally {
      stop();
      free(blocks.at(-1));
    }
  });
});
