import { convertStage } from "@photo-relay/pipeline/convert";
import type { Runtime } from "@photo-relay/pipeline/runtime";
import { lambdaRuntime } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The convert consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) => sqsHandler(convertStage, runtime);

export const handler = createHandler(lambdaRuntime);
