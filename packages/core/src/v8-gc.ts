/**
 * Photos and videos move through Buffers (15-75 MB each, several copies per photo), and V8 by
 * default starts a full mark-compact of the JavaScript heap every 64 MB of such external memory,
 * however small the heap is. Counting external memory inside V8's global heap limit instead
 * (`--external-memory-accounted-in-global-limit`) lets the limit grow with the heap as it does for
 * JavaScript objects. Measured side by side: the local stack in a 40-frame burst 209 → 55-71 full
 * collections and 54.6 → 45.2 s of process CPU (bench/latency.ts, load 16-18); the SFTP mirror's
 * client CPU for 20 × 20 MiB 1.6-2.0 → 0.8-1.1 s (ssh2 allocates every 32 KiB packet anew).
 * Process-wide, worker threads included; called first by the process entries that move such
 * Buffers: `npm start` (local-stack `bin/start.ts`), the convert, mirror and reel functions, and
 * the benchmarks that stand in for them.
 */
import { setFlagsFromString } from "node:v8";

export function countBuffersInHeapLimit(): void {
  setFlagsFromString("--external-memory-accounted-in-global-limit");
}
