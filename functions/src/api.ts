import { createApi } from "@photo-relay/api";
import { createPublishRuntime } from "@photo-relay/pipeline/api";
import { createRuntime } from "@photo-relay/pipeline/runtime";
import { handle } from "hono/aws-lambda";
import { lambdaConfig, once } from "./runtime.ts";

export const handler = handle(
  createApi(once(() => createPublishRuntime(createRuntime(lambdaConfig("api"))))),
);
