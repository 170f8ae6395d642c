/**
 * The worker side of `api-thread.ts`: builds the API's runtime from the configuration it is given,
 * serves the Hono app on the host and port asked for, posts its URL, and on "stop" closes the
 * server and the runtime and exits.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createApi } from "@photo-relay/api";
import { type Config, createLogger, type LoggerOptions } from "@photo-relay/core";
import { closePublishRuntime, createPublishRuntime } from "@photo-relay/pipeline/publish";
import { createRuntime } from "@photo-relay/pipeline/runtime";
import { startApiServer } from "./api-server.ts";

export interface ApiThreadInit {
  config: Config;
  host: string;
  port: number;
  logLevel: LoggerOptions["level"];
  /** Credentials for the emulators (they take any); absent, the SDK finds the caller's own. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const init = workerData as ApiThreadInit;
const logger = createLogger("api", { level: init.logLevel ?? "INFO" });
const runtime = createPublishRuntime(
  createRuntime(init.config, { logger, ...(init.credentials && { credentials: init.credentials }) }),
);
const api = createApi(() => runtime);
const server = await startApiServer(api.fetch, init.host, init.port);
parentPort?.on("message", async (message: unknown) => {
  if (message !== "stop") return;
  await server.stop();
  closePublishRuntime(runtime);
  process.exit(0);
});
parentPort?.postMessage({ url: server.url });
