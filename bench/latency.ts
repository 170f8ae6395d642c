/**
 * Camera to web, end to end on the local stack (`startLocalStack`, the agent on an inbox, every
 * setting at its default): a 36 MP JPEG (≈ 15 MB, bench/helpers/d800-photo.ts) written into the
 * inbox as tethering software writes it (16 chunks over 300 ms, then close). From the writer's
 * close to (a) the object verified in S3 (the agent's `delivered` event), (b) the web rendition
 * served over its public URL by the web host, (c) the post in the Graph API sandbox's own records;
 * p50 and p95 over 20 runs, one photo at a time, after one warm-up photo. Then a 120-frame burst
 * at 4 fps: from the last frame's close until every frame is mirrored, with a timeline plot
 * (`bench/latency-burst.svg`). The references are issue 13's aims: (a) 0.5 s, (b) 1.5 s,
 * (c) the sandbox's container processing time (its default, 1 s) + 1 s, the burst drained
 * within 30 s. Each run prints where its time went, hop by hop (bench/helpers/latency-hops.ts).
 *
 * The sandbox's daily publishing quota (50 posts, as Meta's) is raised to 1,000 and its hourly call
 * budget (200) to 100,000, so that all 141 photos are published without waiting for either (the
 * publish step stops waiting for Meta within the step once half the call budget is spent).
 * `LATENCY_RUNS`, `LATENCY_BURST_FRAMES` (0: none) change the sizes; `LATENCY_BUNDLES=1` runs each
 * function from its bundle in a worker (as the e2e test does); `LATENCY_TRACE=1` prints every
 * run's timeline and `LATENCY_MARKS=<file>` keeps them as JSON. Run it alone
 * (`npm run bench -- latency` or `node bench/latency.ts`): libuv's pool is sized for the local
 * stack only when nothing started it before.
 */

import { countBuffersInHeapLimit } from "@photo-relay/core/v8-gc";
import { sizeThreadPool } from "@photo-relay/local-stack/threadpool";
import type { BenchResult } from "./result.ts";

sizeThreadPool(); // as `npm start` does, before anything starts the pool
countBuffersInHeapLimit(); // as `npm start` does

export async function run(): Promise<BenchResult[]> {
  const { runLatency } = await import("./helpers/latency-runs.ts");
  return runLatency();
}

if (import.meta.main) {
  for (const r of await run()) process.stdout.write(`${JSON.stringify(r)}\n`);
}
