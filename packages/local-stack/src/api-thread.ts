/**
 * The HTTP API in a thread of its own: its HTTP server, its Hono app and its own runtime (the same
 * configuration, its own AWS clients) in a worker, so that a request waits for nothing the rest of
 * the stack does on the main thread — the S3 emulator hashing a 20 MB upload, a stage's CPU work,
 * the agent's reads. Its answers are the in-process API's; only tests that reach into the stack's
 * runtime to change what the API sees need it in process (the default).
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "@photo-relay/core";
import type { ApiThreadInit } from "./api-thread-worker.ts";

export interface ApiThread {
  url: string;
  stop(): Promise<void>;
}

export function startApiThread(init: ApiThreadInit, logger: Logger): Promise<ApiThread> {
  const worker = new Worker(new URL("./api-thread-worker.ts", import.meta.url), { workerData: init });
  return new Promise((resolve, reject) => {
    const failed = (error: Error) => reject(error);
    worker.once("error", failed);
    worker.once("message", ({ url }: { url: string }) => {
      worker.off("error", failed);
      worker.on("error", (error) => logger.error("the API thread failed", { error }));
      resolve({
        url,
        stop: async () => {
          const exited = new Promise((r) => worker.once("exit", r));
          worker.postMessage("stop");
          await exited;
        },
      });
    });
  });
}
