/**
 * The local stack moves camera files through Buffers (15-75 MB each, several copies per photo:
 * the agent's parts, the S3 front and thread, convert's original), and V8 by default starts a full
 * mark-compact of the JavaScript heap every 64 MB of such external memory, however small the heap
 * is: in a 40-frame burst 209 full collections, 5 per photo. Counting external memory inside V8's
 * global heap limit instead (`--external-memory-accounted-in-global-limit`) lets the limit grow
 * with the heap as it does for JavaScript objects: 71 full collections, and the process's CPU for
 * the burst 50.4 → 43.9 s (bench/latency.ts, side by side, load 14-17). The flag is process-wide,
 * so the S3 and function worker threads get it too. Set from the process entry (`bin/start.ts`,
 * the latency benchmark), before the stack starts.
 */
import { setFlagsFromString } from "node:v8";

export function countBuffersInHeapLimit(): void {
  setFlagsFromString("--external-memory-accounted-in-global-limit");
}
