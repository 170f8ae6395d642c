import { createPublishRuntime, type PublishRuntime, publishStage } from "@photo-relay/pipeline/publish";
import { createRuntime } from "@photo-relay/pipeline/runtime";
import { lambdaConfig, once } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The publish consumer over any publish runtime (the local stack passes its own). */
export const createHandler = (runtime: () => PublishRuntime) => sqsHandler(publishStage, runtime);

export const handler = createHandler(
  once(() => createPublishRuntime(createRuntime(lambdaConfig("publish")))),
);
