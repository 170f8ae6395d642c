/**
 * Request checks shared by the browser-facing routes: zod at the boundary, stable error codes.
 * The API's schemas are `zod/mini`, the tree-shakable form of zod 4 (classic zod weighed ~475 kB of
 * the Api bundle); their messages are the classic API's, which core's config-schema.ts installs.
 */
import { isPhotoId, ValidationError } from "@photo-relay/core";
import type { Context } from "hono";
import * as z from "zod/mini";

export function parse<S extends z.ZodMiniType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError("bad_request", z.prettifyError(result.error));
  return result.data;
}

/** The JSON body, checked against `schema` (a missing or broken body fails the same way). */
export async function body<S extends z.ZodMiniType>(c: Context, schema: S): Promise<z.infer<S>> {
  return parse(schema, await c.req.json().catch(() => undefined));
}

export function photoIdParam(c: Context): string {
  const value = c.req.param("id") ?? "";
  if (!isPhotoId(value)) throw new ValidationError("bad_request", "photo id must be a SHA-256 hex string");
  return value;
}
