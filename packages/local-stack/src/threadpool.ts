/**
 * The local stack runs in one process what AWS runs in many, and they all share libuv's thread
 * pool (4 threads unless `UV_THREADPOOL_SIZE` says otherwise): sharp's pipelines (three per photo,
 * two photos at once), dynalite's LevelDB, the agent's inotify read (one thread for good), and
 * every asynchronous file operation (the agent's reads, journal writes and fsyncs, the web
 * folder). With four, a conversion stalls the agent's next upload behind it. libuv reads the size
 * once, when the pool first starts, so the process entry calls this before importing anything
 * that could start it (`bin/start.ts`, the latency benchmark).
 */
export const LOCAL_STACK_THREADS = 16;

/** Sizes libuv's pool for the local stack unless the environment already sized it. */
export function sizeThreadPool(env: NodeJS.ProcessEnv = process.env): void {
  env.UV_THREADPOOL_SIZE ??= String(LOCAL_STACK_THREADS);
}
