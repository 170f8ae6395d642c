/**
 * The HTTP status of every error the API answers with, in one table. Errors carry a stable `code`
 * and say nothing about HTTP; this is the one place that does. Anything not listed is a 500 whose
 * details stay in the logs.
 */
import { NotFoundError, PhotoRelayError, ValidationError } from "@photo-relay/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";
// The error class itself, not `z.core`: a namespace read keeps all of zod (its locales too) in the bundle.
import { $ZodError } from "zod/v4/core";
import { WEB_ERROR_STATUS } from "./web-errors.ts";

const STATUS_BY_CODE: Record<string, ContentfulStatusCode> = {
  bad_request: 400,
  not_publishable: 400,
  bad_carousel: 400,
  unauthorized: 401,
  auth_throttled: 429,
  not_found: 404,
  nothing_to_retry: 409,
  publishing_now: 409,
  not_retryable: 409,
  pick_posted: 409,
  ...WEB_ERROR_STATUS,
};

/** 4xx for what the caller can fix (every `ValidationError` is a 400), 500 for the rest. */
export function httpStatusOf(error: unknown): ContentfulStatusCode {
  if (error instanceof $ZodError) return 400;
  if (!(error instanceof PhotoRelayError)) return 500;
  const status = STATUS_BY_CODE[error.code];
  if (status !== undefined) return status;
  if (error instanceof ValidationError) return 400;
  if (error instanceof NotFoundError) return 404;
  return 500;
}
