/**
 * glibc's malloc, bounded for the local stack. The stack runs in one process what Lambda runs in
 * many: a dozen threads (the functions' workers, S3's, DynamoDB's, the API's, libuv's 16, sharp's)
 * move 20–75 MB buffers (originals, parts, decoded pixels). glibc gives each thread an arena of its
 * own (up to 8 per core), and after the first large free it raises its mmap threshold to 32 MiB,
 * so from then on those buffers come from the arenas, whose freed space is rarely given back.
 * Issue 14's soak saw that as growth: the stack's RSS median 1397 → 2210 MiB, peak over 2048 MiB.
 * A fixed threshold keeps large buffers in mmap (returned to the OS on free, and it stops the
 * dynamic raise) and two arenas bound the fragmentation. `mallopt` at start-up does what the
 * `MALLOC_MMAP_THRESHOLD_` / `MALLOC_ARENA_MAX` variables would, for arenas and buffers made
 * after it, so it runs before the stack starts its threads. The variables, when set, win.
 *
 * Under the threshold, the arenas still keep what they free: HTTP bodies arrive in 64 KiB chunks
 * (hundreds per photo, in every thread that reads one), and glibc gives an arena's free space back
 * only from its top. Measured in a soak's stack (mallinfo2): 369 MiB of arenas, 86 MiB in use, 284
 * MiB free; one `malloc_trim(0)` took its RSS from 1118 to 966 MiB. {@link startHeapTrim} gives the
 * free pages back every few seconds, as `malloc_trim` does for every arena.
 */
import type { Logger } from "@photo-relay/core";

const M_MMAP_THRESHOLD = -3;
const M_ARENA_MAX = -8;
/** Buffers from this size up are mapped, not taken from an arena. */
export const MMAP_THRESHOLD_BYTES = 1024 * 1024;
export const ARENA_MAX = 2;

type Mallopt = (param: number, value: number) => number;
type MallocTrim = (pad: number) => number;

async function libc(): Promise<{ mallopt: Mallopt; mallocTrim: MallocTrim }> {
  const { default: koffi } = await import("koffi");
  // Only glibc's libc has this name (musl's is libc.musl-*.so.1), as the agent's inotify binding relies on.
  const lib = koffi.load("libc.so.6");
  return {
    mallopt: lib.func("int mallopt(int param, int value)") as Mallopt,
    mallocTrim: lib.func("int malloc_trim(size_t pad)") as MallocTrim,
  };
}

/** Applies the bounds (glibc on Linux only; elsewhere, or without koffi, a no-op). Returns what it did. */
export async function boundNativeHeap(
  logger?: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (process.platform !== "linux") return "not Linux";
  let mallopt: Mallopt;
  try {
    ({ mallopt } = await libc());
  } catch (error) {
    logger?.debug("native heap left unbounded: no glibc mallopt", { error });
    return "mallopt unavailable";
  }
  const done: string[] = [];
  if (env.MALLOC_MMAP_THRESHOLD_ === undefined && mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) === 1)
    done.push(`mmap threshold ${MMAP_THRESHOLD_BYTES}`);
  if (env.MALLOC_ARENA_MAX === undefined && mallopt(M_ARENA_MAX, ARENA_MAX) === 1)
    done.push(`arena max ${ARENA_MAX}`);
  return done.join(", ") || "left to the environment";
}

/** How often {@link startHeapTrim} gives the arenas' free pages back. */
export const TRIM_EVERY_MS = 5_000;

/**
 * Gives the free pages of every arena back to the OS now and every `everyMs` (glibc only; else a
 * no-op). A trim of a few hundred MiB of arenas takes a few milliseconds, on the main thread.
 * Returns the function that stops it.
 */
export async function startHeapTrim(logger?: Logger, everyMs = TRIM_EVERY_MS): Promise<() => void> {
  if (process.platform !== "linux") return () => {};
  let mallocTrim: MallocTrim;
  try {
    ({ mallocTrim } = await libc());
  } catch (error) {
    logger?.debug("arenas left untrimmed: no glibc malloc_trim", { error });
    return () => {};
  }
  const timer = setInterval(() => mallocTrim(0), everyMs).unref();
  return () => clearInterval(timer);
}
