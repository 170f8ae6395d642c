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

export interface BundledFunction {
  invoke(event: unknown, context: Pick<Context, "getRemainingTimeInMillis">): Promise<unknown>;
  /** Ends the container now, mid-invocation if one runs (the soak's "handler crashed" fault). */
  crash(): Promise<void>;
  stop(): Promise<void>;
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
type Reply = { id: number; result?: unknown; error?: { name: string; message: string; stack?: string } };

export function startBundledFunction(
  functionName: string,
  bundle: string,
  env: Record<string, string>,
): BundledFunction {
  let next = 0;
  let stopped = false;
  let current: { worker: Worker; pending: Map<number, Call> } | undefined;

  const spawn = () => {
    const worker = new Worker(new URL("./lambda-worker.ts", import.meta.url), {
      workerData: { bundle, functionName },
      env,
    });
    const pending = new Map<number, Call>();
    const container = { worker, pending };
    worker.on("message", ({ id, result, error }: Reply) => {
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
      if (current === container) current = undefined; // the next invocation starts a new one
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
    async stop() {
      stopped = true;
      await current?.worker.terminate();
    },
  };
}
