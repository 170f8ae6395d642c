/**
 * One Lambda container, in a worker thread: imports a function's bundle (as Lambda's Node runtime
 * does, with the environment the worker was given) and answers each invocation the parent posts
 * with the handler's result or error. Started by `bundled-function.ts`.
 *
 * With `http`, the container also serves the handler over HTTP as API Gateway would
 * (`api-gateway.ts`), from this thread: on AWS the gateway is a service of its own, and served from
 * the stack's main thread instead, every request waited there behind SQS and the S3 front relaying
 * 20–75 MB bodies (issue 14's soak: `/status` p95 249 ms for an answer read from memory).
 * With `nice`, the thread runs at that priority (Linux: a thread's nice value is its own), as a
 * stage's container does: on Lambda it has a CPU of its own, here it must not take one from a
 * request (thread-priority.ts).
 */
import { randomUUID } from "node:crypto";
import { setPriority } from "node:os";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { Context } from "aws-lambda";

interface Invocation {
  id: number;
  event: unknown;
  deadline: number;
}

export interface LambdaWorkerData {
  bundle: string;
  functionName: string;
  nice?: number;
  /** Serve the handler as API Gateway's HTTP API on this address; the worker posts `{ listening: url }`. */
  http?: { host: string; port: number; timeoutMs: number };
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const { bundle, functionName, nice, http } = workerData as LambdaWorkerData;
if (nice !== undefined) {
  try {
    setPriority(nice); // this thread only, on Linux
  } catch {
    // The system refuses: the container keeps the stack's priority.
  }
}
const loaded = import(pathToFileURL(bundle).href) as Promise<{ handler: Handler }>;

parentPort?.on("message", async ({ id, event, deadline }: Invocation) => {
  try {
    const { handler } = await loaded;
    const result = await handler(event, context(deadline));
    parentPort?.postMessage({ id, result });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort?.postMessage({ id, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});

if (http) {
  const [{ apiGatewayFetch }, { startApiServer }, { handler }] = await Promise.all([
    import("./api-gateway.ts"),
    import("./api-server.ts"),
    loaded,
  ]);
  const invoke = (event: unknown) =>
    handler(event, context(Date.now() + http.timeoutMs)) as ReturnType<Parameters<typeof apiGatewayFetch>[0]>;
  const server = await startApiServer(apiGatewayFetch(invoke), http.host, http.port);
  parentPort?.postMessage({ listening: server.url });
}

function context(deadline: number): Context {
  const fail = () => {
    throw new Error("callback-style Lambda handlers are not supported");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "1024",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
