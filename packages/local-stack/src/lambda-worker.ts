/**
 * One Lambda container, in a worker thread: imports a function's bundle (as Lambda's Node runtime
 * does, with the environment the worker was given) and answers each invocation the parent posts
 * with the handler's result or error. Started by `bundled-function.ts`.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { parentPort, workerData } from "node:worker_threads";
import type { Context } from "aws-lambda";

interface Invocation {
  id: number;
  event: unknown;
  deadline: number;
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const { bundle, functionName } = workerData as { bundle: string; functionName: string };
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
