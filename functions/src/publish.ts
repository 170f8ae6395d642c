import { publishRecord, type Runtime } from "@photo-relay/pipeline";
import { lambdaRuntime } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The publish consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) => sqsHandler(publishRecord, runtime);

export const handler = createHandler(lambdaRuntime);
