/**
 * Hashes files off the main thread: SHA-256 (the photo's id and S3 key) streamed through
 * hash-wasm in 4 MiB slices, so a 2 GB video never sits in memory at once, with progress; and the
 * first bytes' format. One file at a time, in the order asked.
 */
import { createSHA256 } from "hash-wasm";
import { sniffType } from "./sniff.ts";

const SLICE = 4 * 1024 * 1024;

export type HashRequest = { id: string; file: Blob };
export type HashReply =
  | { id: string; kind: "progress"; done: number }
  | { id: string; kind: "done"; sha256: string; sniffed: string | undefined }
  | { id: string; kind: "error"; message: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashReply): void;
};

let queue = Promise.resolve();

scope.onmessage = ({ data }) => {
  queue = queue.then(() => hash(data)).catch(() => undefined);
};

async function hash({ id, file }: HashRequest): Promise<void> {
  try {
    const hasher = await createSHA256();
    hasher.init();
    const sniffed = sniffType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
    let lastReport = 0;
    for (let offset = 0; offset < file.size; offset += SLICE) {
      hasher.update(new Uint8Array(await file.slice(offset, offset + SLICE).arrayBuffer()));
      const now = performance.now();
      if (now - lastReport > 100) {
        scope.postMessage({ id, kind: "progress", done: Math.min(1, (offset + SLICE) / file.size) });
        lastReport = now;
      }
    }
    scope.postMessage({ id, kind: "done", sha256: hasher.digest("hex"), sniffed });
  } catch (error) {
    scope.postMessage({ id, kind: "error", message: (error as Error).message });
  }
}
