/**
 * A function run from its built bundle (`npm run build:functions`, the very file `sst deploy`
 * uploads) instead of its TypeScript sources: one worker thread per function, so it gets an
 * environment of its own, as a Lambda container does (`AWS_REGION`, its settings, its links as
 * `SST_RESOURCE_<Name>` for SST's `Resource`). The packages its install list keeps out of the
 * bundle (sharp, ssh2) resolve from the `node_modules` above it, as they do beside it on Lambda.
 */
import { Worker } from "node:worker_threads";
import type { Context } from "aws-lambda";

export interface BundledFunction {
  invoke(event: unknown, context: Pick<Context, "getRemainingTimeInMillis">): Promise<unknown>;
  stop(): Promise<void>;
}

export class InvocationError extends Error {
  constructor(functionName: string, error: { name: string; message: string; stack?: string }) {
    super(`${functionName}: ${error.name}: ${error.message}`);
    this.name = "InvocationError";
    if (error.stack) this.stack = error.stack;
  }
}

export function startBundledFunction(
  functionName: string,
  bundle: string,
  env: Record<string, string>,
): BundledFunction {
  const worker = new Worker(new URL("./lambda-worker.ts", import.meta.url), {
    workerData: { bundle, functionName },
    env,
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  type Reply = { id: number; result?: unknown; error?: { name: string; message: string; stack?: string } };
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
  return {
    invoke(event, context) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, event, deadline: Date.now() + context.getRemainingTimeInMillis() });
      });
    },
    async stop() {
      await worker.terminate();
    },
  };
}
