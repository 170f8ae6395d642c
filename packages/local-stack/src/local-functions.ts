/**
 * The functions the local stack runs — the three stages and the reel stage, the dead-letter
 * subscriber and the API —
 * either from their TypeScript sources over the stack's own runtimes (quick to change, and tests
 * can reach into them), or from the bundles `npm run build:functions` built (what Lambda runs,
 * each in a worker with Lambda's environment; see `bundled-function.ts`).
 */
import { createApi } from "@photo-relay/api";
import type { Config } from "@photo-relay/core";
import { createHandler as convertHandler } from "@photo-relay/functions/convert";
import { createHandler as deadLetterHandler } from "@photo-relay/functions/dead-letter";
import { createHandler as mirrorHandler } from "@photo-relay/functions/mirror";
import { createHandler as publishHandler } from "@photo-relay/functions/publish";
import { createHandler as reelHandler } from "@photo-relay/functions/reel";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { DeadLetterRuntime } from "@photo-relay/pipeline/dead-letters";
import type { Runtime } from "@photo-relay/pipeline/runtime";
import { DEAD_LETTER_SETTINGS, type FunctionName, STAGE_SETTINGS } from "@photo-relay/pipeline/settings";
import type { SQSBatchResponse } from "aws-lambda";
import { startApiServer } from "./api-server.ts";
import {
  type BundledFunction,
  type BundledFunctionOptions,
  startBundledFunction,
} from "./bundled-function.ts";
import { lambdaEnvironment } from "./lambda-environment.ts";
import type { ConsumerHandlers } from "./pipeline-consumers.ts";
import { BACKGROUND_NICE } from "./thread-priority.ts";

/** The functions the local stack can run from a bundle, each by the path of its `bundle.mjs`. */
export type FunctionBundles = Record<Exclude<FunctionName, "tokenRefresh">, string>;

export interface LocalFunctions {
  consumers: ConsumerHandlers;
  /** Serves the API over HTTP on `host:port` (0: a free port). */
  serveApi(host: string, port: number): Promise<{ url: string; stop(): Promise<void> }>;
  /**
   * Ends the container of the bundled function `name` now, mid-batch if it runs one (a runtime that
   * crashed); its next invocation starts a new one. Absent when the functions run from sources.
   */
  crash?(name: keyof FunctionBundles): Promise<void>;
  stop(): Promise<void>;
}

export function sourceFunctions(runtimes: {
  runtime: Runtime;
  publishRuntime: PublishRuntime;
  deadLetterRuntime: DeadLetterRuntime;
}): LocalFunctions {
  const { runtime, publishRuntime, deadLetterRuntime } = runtimes;
  const stages = {
    convert: convertHandler(() => runtime),
    mirror: mirrorHandler(() => runtime),
    publish: publishHandler(() => publishRuntime),
    reel: reelHandler(() => runtime),
  };
  return {
    consumers: { stage: (stage) => stages[stage], deadLetter: deadLetterHandler(() => deadLetterRuntime) },
    serveApi: (host, port) => startApiServer(createApi(() => publishRuntime).fetch, host, port),
    stop: async () => {},
  };
}

/** Memory as `infra/functions.ts` deploys each function (the API's is its own). */
const MEMORY_MB: Record<keyof FunctionBundles, number> = {
  api: 512,
  convert: STAGE_SETTINGS.convert.memoryMb,
  mirror: STAGE_SETTINGS.mirror.memoryMb,
  publish: STAGE_SETTINGS.publish.memoryMb,
  reel: STAGE_SETTINGS.reel.memoryMb,
  deadLetter: DEAD_LETTER_SETTINGS.memoryMb,
};

/**
 * The stages whose containers do a conversion's CPU work (sharp, ffmpeg): on Lambda each has a CPU
 * of its own; here their threads (and the ffmpeg they start) run in the background, as libvips'
 * workers do (thread-priority.ts), so that a request to the API never waits behind them for a core.
 */
const BACKGROUND: ReadonlySet<keyof FunctionBundles> = new Set(["convert", "reel"]);

/** API Gateway stops an integration at 30 s. */
const API_GATEWAY_TIMEOUT_MS = 29_000;

export function bundledFunctions(config: Config, bundles: FunctionBundles, logLevel: string): LocalFunctions {
  const started = new Map<keyof FunctionBundles, BundledFunction>();
  const start = (name: keyof FunctionBundles, options: BundledFunctionOptions = {}) => {
    const functionName = `photo-relay-${name}`;
    const env = lambdaEnvironment(config, name, { functionName, memoryMb: MEMORY_MB[name], logLevel });
    const nice = BACKGROUND.has(name) ? { nice: BACKGROUND_NICE } : {};
    const fn = startBundledFunction(functionName, bundles[name], env, { ...nice, ...options });
    started.set(name, fn);
    return fn;
  };
  const sqs = (fn: BundledFunction) => (event: unknown, context: Parameters<BundledFunction["invoke"]>[1]) =>
    fn.invoke(event, context) as Promise<SQSBatchResponse>;
  const stages = {
    convert: sqs(start("convert")),
    mirror: sqs(start("mirror")),
    publish: sqs(start("publish")),
    reel: sqs(start("reel")),
  };
  return {
    consumers: { stage: (stage) => stages[stage], deadLetter: sqs(start("deadLetter")) },
    // The API's container serves API Gateway's side too, from its own thread (lambda-worker.ts).
    serveApi: async (host, port) => {
      const api = start("api", { http: { host, port, timeoutMs: API_GATEWAY_TIMEOUT_MS } });
      return { url: await api.listening(), stop: () => api.stop() };
    },
    crash: async (name) => {
      await started.get(name)?.crash();
    },
    stop: async () => {
      await Promise.all([...started.values()].map((fn) => fn.stop()));
    },
  };
}
