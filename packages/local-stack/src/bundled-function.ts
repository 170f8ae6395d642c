/**
 * A function run from its built bundle (`npm run build:functions`, the very file `sst deploy`
 * uploads) instead of its TypeScript sources: one worker thread per function, so it gets an
 * environment of its own, as a Lambda container does (`AWS_REGION`, its settings, its links as
 * `SST_RESOURCE_<Name>` for SST's `Resource`). The packages its install list keeps out of the
 * bundle (sharp, ssh2) resolve from the `node_modules` above it, as they do beside it on Lambda.
 *
 * A container that dies (its worker exits: out of memory, a crash, {@link BundledFunction.crash})
 * fails the invocations it was running with {@link FunctionCrashedError}, and the next invocation
 * gets a fresh container, as Lambda starts a new one after a runtime exits.
 */
import { Worker } from "node:worker_threads";
import type { Context } from "aws-lambda";
import type { LambdaWorkerData } from "./lambda-worker.ts";

export interface BundledFunction {
  invoke(event: unknown, context: Pick<Context, "getRemainingTimeInMillis">): Promise<unknown>;
  /** Ends the container now, mid-invocation if one runs (the soak's "handler crashed" fault). */
  crash(): Promise<void>;
  /** With `options.http`: the URL its container serves the handler on (a new container takes the same port). */
  listening(): Promise<string>;
  stop(): Promise<void>;
}

export interface BundledFunctionOptions {
  /** The container's thread priority (`lambda-worker.ts`). */
  nice?: number;
  /** Serve the handler over HTTP as API Gateway does, from the container's own thread (`lambda-worker.ts`). */
  http?: { host: string; port: number; timeoutMs: number };
}

export class InvocationError extends Error {
  constructor(functionName: string, error: { name: string; message: string; stack?: string }) {
    super(`${functionName}: ${error.name}: ${error.message}`);
    this.name = "InvocationError";
    if (error.stack) this.stack = error.stack;
  }
}

/** The container running an invocation exited before answering it. */
export class FunctionCrashedError extends Error {
  constructor(functionName: string, exitCode: number) {
    super(`${functionName}: the runtime exited (code ${exitCode}) before the invocation ended`);
    this.name = "FunctionCrashedError";
  }
}

type Call = { resolve(value: unknown): void; reject(error: Error): void };
type Reply = { id?: number; result?: unknown; error?: { name: string; message: string; stack?: string } };

export function startBundledFunction(
  functionName: string,
  bundle: string,
  env: Record<string, string>,
  options: BundledFunctionOptions = {},
): BundledFunction {
  let next = 0;
  let stopped = false;
  let current: { worker: Worker; pending: Map<number, Call> } | undefined;
  let http = options.http;
  let listening: Promise<string> | undefined;

  const spawn = () => {
    const data: LambdaWorkerData = {
      bundle,
      functionName,
      ...(options.nice !== undefined && { nice: options.nice }),
      ...(http && { http }),
    };
    const worker = new Worker(new URL("./lambda-worker.ts", import.meta.url), { workerData: data, env });
    const pending = new Map<number, Call>();
    const container = { worker, pending };
    if (http) {
      listening = new Promise((resolve, reject) => {
        worker.on("message", (m: { listening?: string }) => m.listening && resolve(m.listening));
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new FunctionCrashedError(functionName, code)));
      });
      // A new container listens where the first one did: the port stays the stack's API URL.
      listening.then(
        (url) => {
          if (http) http = { ...http, port: Number(new URL(url).port) };
        },
        () => undefined,
      );
    }
    worker.on("message", ({ id, result, error }: Reply) => {
      if (id === undefined) return;
      const call = pending.get(id);
      pending.delete(id);
      if (error) call?.reject(new InvocationError(functionName, error));
      else call?.resolve(result);
    });
    worker.on("error", (error) => {
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    });
    worker.on("exit", (code) => {
      for (const call of pending.values()) call.reject(new FunctionCrashedError(functionName, code));
      pending.clear();
      if (current !== container) return;
      current = undefined; // the next invocation starts a new one
      if (http && !stopped) current = spawn(); // or at once, when requests come over HTTP
    });
    return container;
  };
  current = spawn();

  return {
    invoke(event, context) {
      if (stopped) return Promise.reject(new Error(`${functionName}: stopped`));
      current ??= spawn();
      const { worker, pending } = current;
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event, deadline: Date.now() + context.getRemainingTimeInMillis() });
      });
    },
    async crash() {
      await current?.worker.terminate();
    },
    listening() {
      return listening ?? Promise.reject(new Error(`${functionName}: not served over HTTP`));
    },
    async stop() {
      stopped = true;
      await current?.worker.terminate();
    },
  };
}
