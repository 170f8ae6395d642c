/** Test fixtures made on the fly (no corpus needed) and small helpers to call the sandbox raw. */
import sharp from "sharp";

/** A solid-colour image of the given size and format. */
export async function image(
  width: number,
  height: number,
  format: "jpeg" | "png" | "webp" = "jpeg",
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: "#3a7" } })
    .toFormat(format)
    .toBuffer();
}

export interface GraphReply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Calls the sandbox the way a raw client would; `body` goes out urlencoded unless `json` is set. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: {
    token?: string;
    query?: Record<string, string>;
    body?: Record<string, string>;
    json?: boolean;
    headers?: Record<string, string>;
  } = {},
): Promise<GraphReply> {
  const url = new URL(`${base}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body) {
    headers["content-type"] = options.json ? "application/json" : "application/x-www-form-urlencoded";
    body = options.json ? JSON.stringify(options.body) : new URLSearchParams(options.body).toString();
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined && { body }) });
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
    headers: response.headers,
  };
}

/** The `error` object of an envelope (fails the test when there is none). */
export function graphError(reply: GraphReply): {
  code: number;
  error_subcode?: number;
  message: string;
  [k: string]: unknown;
} {
  const error = reply.body.error as { code: number; message: string } | undefined;
  if (!error)
    throw new Error(`expected an error envelope, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return error;
}
