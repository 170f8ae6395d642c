import { convertStage } from "@photo-relay/pipeline/convert";
import { createRuntime, type Runtime } from "@photo-relay/pipeline/runtime";
import { lambdaConfig, once } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The convert consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) => sqsHandler(convertStage, runtime);

export const handler = createHandler(once(() => createRuntime(lambdaConfig("convert"))));
