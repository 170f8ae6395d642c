import { createApi } from "@photo-relay/api";
import { handle } from "hono/aws-lambda";
import { lambdaRuntime } from "./runtime.ts";

export const handler = handle(createApi(lambdaRuntime));
