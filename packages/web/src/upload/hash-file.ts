/** The page's side of the hashing worker: one worker per page, a promise per file. */
import type { HashReply, HashRequest } from "./hash-worker.ts";

declare const HASH_WORKER_URL: string;

let worker: Worker | undefined;
const waiting = new Map<
  string,
  { resolve(r: HashResult): void; reject(e: Error): void; progress(f: number): void }
>();

export interface HashResult {
  sha256: string;
  sniffed: string | undefined;
}

export function hashFile(id: string, file: Blob, progress: (fraction: number) => void): Promise<HashResult> {
  worker ??= startWorker();
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject, progress });
    worker?.postMessage({ id, file } satisfies HashRequest);
  });
}

function startWorker(): Worker {
  const w = new Worker(HASH_WORKER_URL, { type: "module" });
  w.onmessage = ({ data }: MessageEvent<HashReply>) => {
    const entry = waiting.get(data.id);
    if (!entry) return;
    if (data.kind === "progress") return entry.progress(data.done);
    waiting.delete(data.id);
    if (data.kind === "done") entry.resolve({ sha256: data.sha256, sniffed: data.sniffed });
    else entry.reject(new Error(`could not read the file: ${data.message}`));
  };
  return w;
}
