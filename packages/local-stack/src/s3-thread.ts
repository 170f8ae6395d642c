/**
 * Starts the local stack's S3 in its own worker thread (`s3-worker.ts`) and follows what it
 * stores: each object it records is handed to `onStored` (the stack gives it to the main
 * emulator's message spy, where the S3 notifications and tests look for it), and
 * {@link S3Thread.recorded} lets the front (`s3-front.ts`) hold a response until its object was.
 */
import { Worker } from "node:worker_threads";
import type { S3SpyEvent } from "fauxqs";
import type { S3WorkerData, S3WorkerMessage } from "./s3-worker-protocol.ts";

export interface S3Thread {
  /** Where the worker's emulator listens (loopback); clients go through the stack's own port. */
  port: number;
  /** Resolves once `count` stored objects have reached `onStored`. */
  recorded(count: number): Promise<void>;
  stop(): Promise<void>;
}

export class S3ThreadError extends Error {
  override name = "S3ThreadError";
}

export function startS3Thread(data: S3WorkerData, onStored: (event: S3SpyEvent) => void): Promise<S3Thread> {
  const worker = new Worker(new URL("./s3-worker.ts", import.meta.url), { workerData: data });
  let seen = 0;
  const waiting: Array<{ count: number; resolve(): void }> = [];
  let stopped: (() => void) | undefined;
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(new S3ThreadError(`the S3 worker failed: ${error.message}`));
    worker.once("error", failed);
    worker.once("exit", (code) => {
      stopped?.();
      reject(new S3ThreadError(`the S3 worker exited (code ${code}) before it listened`));
    });
    worker.on("message", (message: S3WorkerMessage) => {
      if ("spy" in message) {
        seen++;
        onStored(message.spy);
        for (const w of waiting.filter((w) => w.count <= seen)) {
          waiting.splice(waiting.indexOf(w), 1);
          w.resolve();
        }
      } else if ("port" in message) {
        worker.off("error", failed);
        resolve({
          port: message.port,
          recorded: (count) =>
            count <= seen ? Promise.resolve() : new Promise((r) => waiting.push({ count, resolve: r })),
          stop: async () => {
            const exited = new Promise<void>((r) => {
              stopped = r;
            });
            worker.postMessage({ stop: true });
            await exited;
          },
        });
      } else if ("stopped" in message) {
        void worker.terminate();
      }
    });
  });
}
