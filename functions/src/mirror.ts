import { mirrorRecord, type Runtime } from "@photo-relay/pipeline";
import { lambdaRuntime } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The mirror consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) =>
  sqsHandler(mirrorRecord, runtime, { sequential: true });

export const handler = createHandler(lambdaRuntime);
