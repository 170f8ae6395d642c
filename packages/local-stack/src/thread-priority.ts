/**
 * The local stack runs on one machine what AWS spreads over many, and Linux shares the cores among
 * threads, not processes. Answering a request costs the API's thread and DynamoDB's a few
 * milliseconds of CPU, but under load they waited for a core behind the bulk work: libvips' workers
 * converting 36 MP frames and the S3 thread hashing 20 MB uploads (issue 14's api-load bench: the
 * API thread used 7 % of a core, yet `/status`, answered from memory, took 300 ms at p95). So those
 * run at a lower priority ({@link BACKGROUND_NICE}): they still get every cycle nobody else wants,
 * and a thread that wakes for a request gets a core at once.
 *
 * The main thread keeps its priority: it answers SQS (`/status` reads eight queue depths there
 * for its figures) and runs the agent and the stages' steps, and lowered it lost to every other
 * process on a shared machine (api-load: the load window 52 → 156 s, `/status` p95 46 → 392 ms).
 *
 * On Linux a thread's nice value is its own (`setpriority` on a thread id) and is inherited by the
 * threads it starts; raising one's own nice value needs no privilege. Elsewhere nothing changes.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";

/** The background threads' nice value (0 is the default; 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/** libvips names the threads of its pool so (`/proc/<pid>/task/<tid>/comm`). */
const LIBVIPS_WORKER = "libvips worker";

/** The calling thread's id on Linux (`/proc/thread-self` links to `<pid>/task/<tid>`). */
function currentThreadId(): number | undefined {
  if (process.platform !== "linux") return undefined;
  return Number(readlinkSync("/proc/thread-self").split("/").at(-1));
}

/** Sets thread `tid` to the background priority unless it already runs lower (nice can only go up unprivileged). */
function lower(tid: number): void {
  try {
    if (getPriority(tid) < BACKGROUND_NICE) setPriority(tid, BACKGROUND_NICE);
  } catch {
    // The thread ended meanwhile, or the system refuses: it keeps its priority.
  }
}

/** Runs the calling thread, and the threads it starts from now on, at the background priority. */
export function lowerThisThread(): void {
  const tid = currentThreadId();
  if (tid !== undefined) lower(tid);
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
