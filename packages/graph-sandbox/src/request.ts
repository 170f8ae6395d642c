/** Reading Graph API requests the way Meta accepts them: params from query, form or JSON body; token from param or header. */
import type { Context } from "hono";
import { errors } from "./graph-error.ts";

export type Params = Record<string, string>;

function flatten(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(flatten).join(",");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Query params overlaid with body params (JSON, urlencoded or multipart). */
export async function readParams(c: Context): Promise<Params> {
  const params: Params = { ...c.req.query() };
  if (c.req.method === "GET" || c.req.method === "HEAD") return params;
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    const text = await c.req.text();
    if (text.trim() === "") return params;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw errors.param("Invalid JSON body.");
    }
    if (body && typeof body === "object" && !Array.isArray(body)) {
      for (const [k, v] of Object.entries(body)) if (v !== undefined && v !== null) params[k] = flatten(v);
    }
  } else if (type.includes("x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    const body = await c.req.parseBody();
    for (const [k, v] of Object.entries(body)) if (typeof v === "string") params[k] = v;
  }
  return params;
}

/** `Authorization: Bearer|OAuth <token>` wins over the `access_token` param. */
export function tokenOf(c: Context, params: Params): string | undefined {
  const header = c.req.header("authorization");
  const match = header?.match(/^(?:Bearer|OAuth)\s+(\S+)$/i);
  return match?.[1] ?? params.access_token;
}

/** The `fields` param as a list, or `defaults` when absent. */
export function fieldsOf(params: Params, defaults: string[]): string[] {
  const raw = params.fields;
  if (!raw) return defaults;
  return raw
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
}

/** Picks `fields` from `available`; an unknown field is the error Meta sends. */
export function pick(
  fields: string[],
  available: Record<string, unknown>,
  node: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field in available)) throw errors.nonexistingField(field, node);
    const value = available[field];
    if (value !== undefined) out[field] = value;
  }
  if (!("id" in out) && available.id !== undefined) out.id = available.id;
  return out;
}

/** Strips the `/vNN.N` prefix (also inside `/ig-api-upload/vNN.N/…`) so one route table serves every version. */
export function unversionedPath(url: string): string {
  const path = new URL(url).pathname;
  return (
    path.replace(/^\/(ig-api-upload\/)?v\d+\.\d+(?=\/|$)/, (_m, upload: string | undefined) =>
      upload ? "/ig-api-upload" : "",
    ) || "/"
  );
}

/** The API version a request named, e.g. "v25.0" (default when unversioned). */
export function versionOf(url: string, fallback = "v25.0"): string {
  return new URL(url).pathname.match(/\/(v\d+\.\d+)(?:\/|$)/)?.[1] ?? fallback;
}
