/**
 * Reading an S3 request as the emulator will see it, for `s3-integrity.ts`: which operation it is
 * (path-style URLs, as the stack's clients use), its body held back from the emulator until the
 * checks are done, and the payload inside the encodings S3 clients use (`aws-chunked` with
 * trailing checksums, `multipart/form-data` for browser POSTs).
 */
import type { IncomingMessage } from "node:http";

export type S3Operation =
  | "PutObject"
  | "CopyObject"
  | "UploadPart"
  | "CompleteMultipartUpload"
  | "PostObject"
  | "DeleteObject";

export interface S3Request {
  operation: S3Operation;
  bucket: string;
  /** Empty for PostObject, whose key is a form field. */
  key: string;
}

export function classifyS3Request(request: IncomingMessage): S3Request | undefined {
  const url = new URL(request.url ?? "/", "http://local");
  const [bucket = "", ...rest] = url.pathname.slice(1).split("/");
  const key = decodeURIComponent(rest.join("/"));
  const query = url.searchParams;
  const method = request.method;
  if (!bucket) return undefined;
  if (!key) {
    const form = request.headers["content-type"]?.startsWith("multipart/form-data");
    return method === "POST" && form ? { operation: "PostObject", bucket, key } : undefined;
  }
  if (
    method === "PUT" &&
    query.has("partNumber") &&
    query.has("uploadId") &&
    !request.headers["x-amz-copy-source"]
  )
    return { operation: "UploadPart", bucket, key };
  if (method === "PUT" && !query.has("partNumber"))
    return { operation: request.headers["x-amz-copy-source"] ? "CopyObject" : "PutObject", bucket, key };
  if (method === "POST" && query.has("uploadId"))
    return { operation: "CompleteMultipartUpload", bucket, key };
  if (method === "DELETE" && !query.has("uploadId")) return { operation: "DeleteObject", bucket, key };
  return undefined;
}

/**
 * The largest body the local S3 takes in one request (the emulator's limit, `s3-body-limit.ts`):
 * a phone's whole photo in one presigned PUT, up to the API's default `api.maxUploadBytes` (200
 * MiB), with room. AWS takes 5 GiB; here a body is held in memory whole (the gate, then the
 * emulator), hence a bound. A body declared past it is refused by the gate (`EntityTooLarge`); one
 * of no declared length is held up to it, then passed on, and the emulator refuses it (413).
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

export interface HeldBody {
  /** The whole body, or `undefined` when it grew past {@link MAX_BODY_BYTES} (the rest then flows on). */
  body: Promise<Buffer | undefined>;
  /** Hands what was held to the request's readers (the emulator), as if it had just arrived. */
  release(): void;
}

/**
 * Holds the request's body back from its readers until {@link HeldBody.release}. Node's HTTP parser
 * hands body chunks to `request.push` (that is how a readable stream is fed); until release they
 * are kept here instead, so nothing reads them before the checks decide.
 */
export function holdBody(request: IncomingMessage): HeldBody {
  const push = request.push.bind(request);
  const chunks: Buffer[] = [];
  let size = 0;
  let ended = false;
  let released = false;
  let resolveBody: (body: Buffer | undefined) => void = () => {};
  const body = new Promise<Buffer | undefined>((resolve) => {
    resolveBody = resolve;
  });
  // A client that hangs up mid-body never sends the end: stop waiting for it.
  const socket = request.socket;
  const hungUp = () => resolveBody(undefined);
  socket.once("close", hungUp);
  const done = (value: Buffer | undefined) => {
    socket.off("close", hungUp);
    resolveBody(value);
  };
  const release = () => {
    if (released) return;
    released = true;
    Reflect.deleteProperty(request, "push");
    for (const chunk of chunks) push(chunk);
    if (ended) push(null);
  };
  request.push = (chunk: unknown): boolean => {
    if (chunk === null) {
      ended = true;
      // The whole body once, not twice: the emulator is handed the joined copy, the parts go.
      const whole = Buffer.concat(chunks);
      chunks.splice(0, chunks.length, whole);
      done(whole);
      return false;
    }
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      done(undefined);
      release();
    }
    return true;
  };
  return { body, release };
}

/** The payload of an `aws-chunked` body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n…0\r\n<trailers>\r\n`). */
export function decodeAwsChunked(body: Buffer): { payload: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", at);
    if (eol < 0) throw new Error("aws-chunked body ends inside a chunk header");
    const size = Number.parseInt(body.toString("latin1", at, eol).split(";")[0] ?? "", 16);
    if (!Number.isFinite(size)) throw new Error("aws-chunked chunk size is not hex");
    at = eol + 2;
    if (size === 0) break;
    parts.push(body.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of body.toString("latin1", at).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(parts), trailers };
}

/** The fields and the file of a browser's POST upload. */
export async function readPostForm(
  body: Buffer,
  contentType: string,
): Promise<{ fields: Record<string, string>; file: Buffer }> {
  const form = await new Response(new Uint8Array(body), {
    headers: { "content-type": contentType },
  }).formData();
  const fields: Record<string, string> = {};
  let file = Buffer.alloc(0);
  for (const [name, value] of form) {
    if (typeof value === "string") fields[name.toLowerCase()] = value;
    else if (name === "file") file = Buffer.from(await value.arrayBuffer());
  }
  return { fields, file };
}
