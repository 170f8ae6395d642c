import { createApi } from "@photo-relay/api";
import { createPublishRuntime } from "@photo-relay/pipeline/api";
import { handle } from "hono/aws-lambda";
import { once } from "./runtime.ts";

export const handler = handle(createApi(once(createPublishRuntime)));
