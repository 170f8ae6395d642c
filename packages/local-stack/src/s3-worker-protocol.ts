/** What the S3 worker (`s3-worker.ts`) and its parent (`s3-thread.ts`) tell each other. */
import type { LoggerOptions } from "@photo-relay/core";
import type { S3SpyEvent } from "fauxqs";

export interface S3WorkerData {
  /** Where the objects live (fauxqs's `s3StorageDir`): the stack's `<data>/s3`. */
  storageDir: string;
  bucket: string;
  region: string;
  logLevel: NonNullable<LoggerOptions["level"]>;
}

/** From the worker: its port once it listens, each stored object, and that it stopped. */
export type S3WorkerMessage = { port: number } | { spy: S3SpyEvent } | { stopped: true };

/** On each S3 response: how many stored objects the worker had posted before writing it. */
export const SPY_SEQUENCE_HEADER = "x-local-s3-recorded";
