import { convertRecord, type Runtime } from "@photo-relay/pipeline";
import { lambdaRuntime } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The convert consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) => sqsHandler(convertRecord, runtime);

export const handler = createHandler(lambdaRuntime);
