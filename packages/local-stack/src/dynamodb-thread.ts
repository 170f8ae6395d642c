/**
 * The local DynamoDB server (`dynamodb-server.ts`: dynalite and its transactions) in a thread of
 * its own, so that a query waits for nothing the main thread does (the S3 emulator hashing an
 * upload, a stage's CPU work): the API's reads stay quick while the pipeline is busy. Same URL
 * contract as {@link startDynamo}; the table persists in `path` as there.
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "@photo-relay/core";
import type { DynamoServer } from "./dynamodb-server.ts";

export function startDynamoThread(
  logger: Logger,
  path: string | undefined,
  host = "127.0.0.1",
  port = 0,
): Promise<DynamoServer> {
  const worker = new Worker(new URL("./dynamodb-thread-worker.ts", import.meta.url), {
    workerData: { path, host, port },
  });
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.once("message", ({ url }: { url: string }) => {
      worker.off("error", reject);
      worker.on("error", (error) => logger.error("the DynamoDB thread failed", { error }));
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
