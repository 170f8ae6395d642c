/**
 * The local stack runs on one machine what AWS spreads over many, and Linux shares the cores among
 * threads, not processes. Answering a request costs the API's thread and DynamoDB's a few
 * milliseconds of CPU, but under load they waited for a core behind sharp's conversions (issue 14's
 * api-load bench: the API thread used 7 % of a core, yet `/status`, answered from memory, took
 * 300 ms at p95). So libvips' workers run at a lower priority ({@link BACKGROUND_NICE}): they still
 * get every cycle nobody else wants, and a thread that wakes for a request gets a core at once.
 *
 * Only they: the S3 thread serves the phones' uploads and `/status`'s HeadBucket, the main thread
 * SQS (`/status`'s queue depths), the agent and the stages' steps, and lowered, either lost to every
 * other process on a shared machine (api-load: phone uploads cut with "other side closed", the load
 * window 52 → 156 s, `/status` p95 46 → 392 ms).
 *
 * On Linux a thread's nice value is its own (`setpriority` on a thread id) and raising it needs no
 * privilege. Elsewhere nothing changes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The background threads' nice value (0 is the default; 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/** libvips names the threads of its pool so (`/proc/<pid>/task/<tid>/comm`). */
const LIBVIPS_WORKER = "libvips worker";

/** Sets thread `tid` to the background priority unless it already runs lower (nice can only go up unprivileged). */
function lower(tid: number): void {
  try {
    if (getPriority(tid) < BACKGROUND_NICE) setPriority(tid, BACKGROUND_NICE);
  } catch {
    // The thread ended meanwhile, or the system refuses: it keeps its priority.
  }
}

/**
 * Lowers libvips' workers (sharp's conversions) as they appear: libvips starts them from libuv's
 * pool, whose threads also serve DynamoDB's LevelDB, so the pool keeps its priority and the
 * workers are found by name, every `intervalMs`. Returns the function that stops looking.
 */
export function lowerLibvipsWorkers(intervalMs = 1000): () => void {
  if (process.platform !== "linux") return () => {};
  const lowered = new Set<number>();
  const scan = () => {
    const tasks = readdirSync("/proc/self/task").map(Number);
    for (const tid of tasks) {
      if (lowered.has(tid)) continue;
      try {
        if (readFileSync(`/proc/self/task/${tid}/comm`, "latin1").trim() !== LIBVIPS_WORKER) continue;
      } catch {
        continue; // it ended between the listing and the read
      }
      lower(tid);
      lowered.add(tid);
    }
    // Thread ids are reused: forget the ones that ended.
    const alive = new Set(tasks);
    for (const tid of lowered) if (!alive.has(tid)) lowered.delete(tid);
  };
  scan();
  const timer = setInterval(scan, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
