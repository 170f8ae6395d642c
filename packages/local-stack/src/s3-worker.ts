/**
 * The local stack's S3, in a worker thread of its own (started by `s3-thread.ts`): a fauxqs
 * instance that serves only S3, with its objects persisted under `storageDir`, behind the checks
 * AWS makes and the emulator does not (`s3-integrity.ts`), with the multipart listings it gets
 * wrong (`s3-multipart-listing.ts`) and a body limit that takes a phone's whole photo in one PUT
 * (`s3-body-limit.ts`). Storing a body costs fauxqs synchronous file writes and MD5
 * passes (a burst of 120 × 36 MP frames: ≈ 12 s of writes, 12 s of hashing, 7 s of the integrity
 * gate's digests); here they no longer hold up the main thread's API, consumers and agent.
 *
 * Each object the store records is posted to the parent (`{ spy }`) before the response that
 * reports it is written, and each response carries how many were posted by then
 * ({@link SPY_SEQUENCE_HEADER}), so the parent sees a stored object before its client does.
 */
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { createLogger } from "@photo-relay/core";
import { type S3SpyEvent, type SpyMessage, startFauxqs } from "fauxqs";
import { liftEmulatorBodyLimit } from "./s3-body-limit.ts";
import { enforceS3Integrity } from "./s3-integrity.ts";
import { answerMultipartListings } from "./s3-multipart-listing.ts";
import { keepPartsOnDisk } from "./s3-part-bodies.ts";
import { type S3WorkerData, type S3WorkerMessage, SPY_SEQUENCE_HEADER } from "./s3-worker-protocol.ts";

const { storageDir, bucket, region, logLevel } = workerData as S3WorkerData;
const post = (message: S3WorkerMessage) => parentPort?.postMessage(message);

liftEmulatorBodyLimit();
await keepPartsOnDisk();
const server = await startFauxqs({
  port: 0,
  host: "127.0.0.1",
  logger: false,
  messageSpies: { bufferSize: 1 },
  s3StorageDir: storageDir,
});
const logger = createLogger("local-stack", { level: logLevel });
enforceS3Integrity(server.port, region, logger);
answerMultipartListings(server.port, storageDir);
server.createBucket(bucket);

let posted = 0;
const spy = server.spy as unknown as { addMessage(message: SpyMessage): void };
spy.addMessage = (message) => {
  if (message.service !== "s3") return;
  posted++;
  post({ spy: message as S3SpyEvent });
};

subscribe("http.server.request.start", (message: unknown) => {
  const { response } = message as { request: IncomingMessage; response: ServerResponse };
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) this.setHeader(SPY_SEQUENCE_HEADER, String(posted));
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof response.writeHead;
});

parentPort?.on("message", async (message: { stop?: true }) => {
  if (!message.stop) return;
  await server.stop();
  post({ stopped: true });
});
post({ port: server.port });
