/**
 * The agent's digests, computed on a thread of their own so that hashing never holds up its event
 * loop (or, under `npm start`, the API and the consumers that share it): the SHA-256 of a spooled
 * file (the photo id) and the MD5 of each part (its `Content-MD5`). Each is one pass of native code
 * over bytes the caller holds or the page cache has (a 15 MB frame: SHA-256 ≈ 9 ms, MD5 ≈ 20 ms
 * of CPU), so moving it costs nothing in total; a part's buffer is shared, not copied
 * ({@link sharedBuffer}), and the thread also takes the page faults of new part buffers. The thread is started on first use, does not keep the process alive and,
 * should it fail to start or die, the digests are computed in place as before.
 *
 * The worker's source is inline (`eval`) so that it runs as well from the single-executable agent,
 * which has no files beside it to load a worker from.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { Worker } from "node:worker_threads";

const CHUNK = 1024 * 1024;

const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { openSync, readSync, closeSync } = require("node:fs");
const chunk = Buffer.allocUnsafe(${CHUNK});
parentPort.on("message", (job) => {
  try {
    if (job.path !== undefined) {
      const hash = createHash("sha256");
      const fd = openSync(job.path, "r");
      try {
        for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0; ) hash.update(chunk.subarray(0, n));
      } finally {
        closeSync(fd);
      }
      parentPort.postMessage({ id: job.id, digest: hash.digest("hex") });
    } else if (job.touch) {
      new Uint8Array(job.shared).fill(0);
      parentPort.postMessage({ id: job.id, digest: "" });
    } else {
      const bytes = new Uint8Array(job.shared, job.offset, job.length);
      parentPort.postMessage({ id: job.id, digest: createHash("md5").update(bytes).digest("base64") });
    }
  } catch (error) {
    parentPort.postMessage({ id: job.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

type Job =
  | { path: string }
  | { shared: SharedArrayBuffer; offset: number; length: number }
  | { shared: SharedArrayBuffer; touch: true };
type Answer = { id: number; digest?: string; error?: { message: string; code?: string } };

let worker: Worker | undefined;
let broken = false;
let nextId = 0;
const pending = new Map<number, { resolve(digest: string): void; reject(error: Error): void }>();

function thread(): Worker | undefined {
  if (worker || broken) return worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true });
  } catch {
    broken = true;
    return undefined;
  }
  worker.unref();
  worker.on("message", ({ id, digest, error }: Answer) => {
    const job = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker?.unref();
    if (!job) return;
    if (digest !== undefined) job.resolve(digest);
    else job.reject(Object.assign(new Error(error?.message ?? "digest failed"), { code: error?.code }));
  });
  const fail = (error: Error) => {
    broken = true;
    worker = undefined;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`the digest thread exited (code ${code})`)));
  return worker;
}

function onThread(job: Job): Promise<string> | undefined {
  const w = thread();
  if (!w) return undefined;
  const id = nextId++;
  if (pending.size === 0) w.ref(); // a digest in flight keeps the process up, as a file read does
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, ...job });
  });
}

/** A zero-filled Buffer over shared memory: the digest thread reads it where it is. */
export function sharedBuffer(bytes: number): Buffer {
  return Buffer.from(new SharedArrayBuffer(bytes));
}

/**
 * Writes every page of a {@link sharedBuffer} once, on the digest thread, so that the page faults
 * of a fresh buffer (≈ 40 ms for 8 MiB here) are not taken on the event loop.
 */
export async function touchPages(bytes: Buffer): Promise<void> {
  const shared = bytes.buffer instanceof SharedArrayBuffer ? bytes.buffer : undefined;
  const off = shared && onThread({ shared, touch: true });
  if (off) await off;
  else bytes.fill(0);
}

/**
 * Base64 MD5 of `bytes`, off the event loop when they live in a {@link sharedBuffer}. The caller
 * must not change them until this settles.
 */
export async function md5Base64(bytes: Buffer): Promise<string> {
  const shared = bytes.buffer instanceof SharedArrayBuffer ? bytes.buffer : undefined;
  const off = shared && onThread({ shared, offset: bytes.byteOffset, length: bytes.length });
  return off ?? createHash("md5").update(bytes).digest("base64");
}

/** Hex SHA-256 of the file at `path`, read and hashed on the digest thread. */
export async function sha256OfFile(path: string): Promise<string> {
  return onThread({ path }) ?? sha256InPlace(path);
}

async function sha256InPlace(path: string): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}
