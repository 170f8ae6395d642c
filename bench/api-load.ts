/**
 * The API under a busy event, on the local stack as `npm start` runs it (every function in
 * process, the agent on an inbox): 10 phones upload 20 MB photos through the presigned path
 * (`POST /upload-sessions` + `/upload-sessions/sign`, the parts straight to S3), the agent delivers
 * a 40-frame burst of 36 MP JPEGs written at 4 fps, and a client hammers the API with no or a
 * wrong token at 200 requests a second, while `GET /status` and `GET /photos` are sampled (one
 * request at a time each, 100 ms apart). The reference is the same two routes sampled on the same
 * stack once the pipeline has drained (same data, nothing else running); issue 14 aims at a p95
 * under 200 ms under load. The clients run in a process of their own (bench/helpers/api-load-clients.ts),
 * and the hammering client in another (bench/helpers/api-load-hammer.ts), so that what they measure
 * is what a client over the network sees; the stack's own event loop
 * delay is printed for each phase. `API_LOAD_PHONES`, `API_LOAD_FILES` (per phone),
 * `API_LOAD_FRAMES`, `API_LOAD_IDLE_SECONDS`, `API_LOAD_HAMMER_RPS` change the sizes. Run it alone
 * (`npm run bench -- api-load`): libuv's pool is sized for the local stack only when nothing started it before.
 */
import { sizeThreadPool } from "@photo-relay/local-stack/threadpool";
import type { BenchResult } from "./result.ts";

sizeThreadPool(); // as `npm start` does, before anything starts the pool

export async function run(): Promise<BenchResult[]> {
  const { runApiLoad } = await import("./helpers/api-load-run.ts");
  return runApiLoad();
}

if (import.meta.main) {
  for (const r of await run()) process.stdout.write(`${JSON.stringify(r)}\n`);
}
