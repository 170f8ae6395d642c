import { mirrorStage } from "@photo-relay/pipeline/mirror";
import { createRuntime, type Runtime } from "@photo-relay/pipeline/runtime";
import { lambdaConfig, once } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The mirror consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) => sqsHandler(mirrorStage, runtime);

export const handler = createHandler(once(() => createRuntime(lambdaConfig("mirror"))));
