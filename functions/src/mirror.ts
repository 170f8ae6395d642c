import { countBuffersInHeapLimit } from "@photo-relay/core/v8-gc";
import { mirrorStage } from "@photo-relay/pipeline/mirror";
import { createRuntime, type Runtime } from "@photo-relay/pipeline/runtime";
import { lambdaConfig, once } from "./runtime.ts";
import { sqsHandler } from "./sqs-handler.ts";

/** The mirror consumer over any runtime (the local stack passes its own). */
export const createHandler = (runtime: () => Runtime) => sqsHandler(mirrorStage, runtime);

countBuffersInHeapLimit(); // its Buffers: see packages/core/src/v8-gc.ts
export const handler = createHandler(once(() => createRuntime(lambdaConfig("mirror"))));
