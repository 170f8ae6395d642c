/**
 * Hashes files off the main thread: SHA-256 (the photo's id and S3 key) and the first bytes'
 * format, with progress. One file at a time, in the order asked.
 *
 * A file up to {@link WHOLE_MAX} is read at once and hashed by WebCrypto (native code, several
 * times hash-wasm's speed in a worker of a busy browser, which mostly runs hash-wasm before V8 has
 * optimised it); a larger one, or any file where WebCrypto is missing (a page on plain http off
 * localhost), is streamed through hash-wasm in 4 MiB slices, the next slice read while the last is
 * hashed, so a 2 GB video never sits in memory at once.
 */
import { createSHA256, type IHasher } from "hash-wasm";
import { sniffType } from "./sniff.ts";

const SLICE = 4 * 1024 * 1024;
/** The most a file's hashing holds in memory at once: a phone copes with it. */
const WHOLE_MAX = 64 * 1024 * 1024;

export type HashRequest = { id: string; file: Blob } | { id: ""; kind: "warm" };
export type HashReply =
  | { id: string; kind: "progress"; done: number }
  | { id: string; kind: "done"; sha256: string; sniffed: string | undefined }
  | { id: string; kind: "error"; message: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HashRequest>) => void) | null;
  postMessage(message: HashReply): void;
};

let queue = Promise.resolve();
let wasm: Promise<IHasher> | undefined;
const hasher = () => (wasm ??= createSHA256());

scope.onmessage = ({ data }) => {
  // The page starts the worker as it opens: the module is compiled before the first file.
  if (!("file" in data)) return void hasher();
  queue = queue.then(() => hash(data)).catch(() => undefined);
};

async function hash({ id, file }: { id: string; file: Blob }): Promise<void> {
  try {
    const sniffed = sniffType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
    const sha256 =
      file.size <= WHOLE_MAX && globalThis.crypto?.subtle
        ? hex(await crypto.subtle.digest("SHA-256", await file.arrayBuffer()))
        : await streamed(id, file);
    scope.postMessage({ id, kind: "done", sha256, sniffed });
  } catch (error) {
    scope.postMessage({ id, kind: "error", message: (error as Error).message });
  }
}

async function streamed(id: string, file: Blob): Promise<string> {
  const sha = await hasher();
  sha.init();
  const read = (offset: number) => file.slice(offset, offset + SLICE).arrayBuffer();
  let next = read(0);
  let lastReport = 0;
  for (let offset = 0; offset < file.size; offset += SLICE) {
    const bytes = new Uint8Array(await next);
    if (offset + SLICE < file.size) next = read(offset + SLICE);
    sha.update(bytes);
    const now = performance.now();
    if (now - lastReport > 100) {
      scope.postMessage({ id, kind: "progress", done: Math.min(1, (offset + SLICE) / file.size) });
      lastReport = now;
    }
  }
  return sha.digest("hex");
}

function hex(digest: ArrayBuffer): string {
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
