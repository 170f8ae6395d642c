/**
 * What AWS S3 enforces on writes and the emulator does not (docs/local-emulators.md), enforced in
 * front of it, so a forged or careless upload fails here as it would in AWS:
 * - a body must match the checksum it declares (`x-amz-checksum-sha256` as a header or an
 *   `aws-chunked` trailer, `Content-MD5`, a browser POST's `x-amz-checksum-sha256` field) → 400
 *   `BadDigest` (a malformed one → 400 `InvalidDigest`);
 * - `If-None-Match: *` on PutObject, CopyObject and CompleteMultipartUpload refuses to replace an
 *   existing key → 412 `PreconditionFailed`;
 * - `If-Match: <etag>` on those and on DeleteObject acts only on the object with that ETag → 412
 *   (a missing object → 404 `NoSuchKey`);
 * - a body declared over the local bound (`MAX_BODY_BYTES`; AWS's is 5 GiB) → 400 `EntityTooLarge`,
 *   before any of it is read.
 * Signatures, expiry and POST policies are still not checked (AWS checks them): an upload that
 * leaves out its signed checksum gets through here, and convert catches a forged photo id.
 *
 * The emulator's HTTP server is found through Node's `http.server.request.start` diagnostics
 * channel (as `s3-cors.ts` does), and its request handler is wrapped once: a request that needs a
 * check has its body held back (`holdBody`) until the check passes, then goes on as it came; a
 * refused one is answered here and never reaches the emulator, so nothing is stored.
 */
import { createHash } from "node:crypto";
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@photo-relay/core";
import {
  classifyS3Request,
  decodeAwsChunked,
  holdBody,
  MAX_BODY_BYTES,
  readPostForm,
  type S3Request,
} from "./s3-request-reading.ts";

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

interface Refusal {
  status: number;
  code: string;
  message: string;
  condition?: string;
}

/** AWS's answer to a body over its 5 GiB; locally the bound is {@link MAX_BODY_BYTES}. */
const TOO_LARGE: Refusal = {
  status: 400,
  code: "EntityTooLarge",
  message: "Your proposed upload exceeds the maximum allowed size",
};

const PRECONDITIONED = new Set(["PutObject", "CopyObject", "CompleteMultipartUpload", "DeleteObject"]);

/** Starts enforcing on the emulator at `port`; returns the function that stops it. */
export function enforceS3Integrity(port: number, region: string, logger: Logger): () => void {
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const wrapped = new Map<Server, Listener[]>();

  const gate = async (request: IncomingMessage, response: ServerResponse, next: () => void) => {
    const target = classifyS3Request(request);
    if (!target || response.writableEnded) return next();
    // Refused here, not by the emulator: its 413 closes the connection mid-body (s3-front.ts).
    if (Number(request.headers["content-length"] ?? 0) > MAX_BODY_BYTES)
      return refuse(response, target, TOO_LARGE);
    if (!needsCheck(target, request.headers)) return next();
    const held = target.operation === "DeleteObject" ? undefined : holdBody(request);
    try {
      const body = held ? await held.body : Buffer.alloc(0);
      // The client hung up mid-body: there is nothing to store and no one to answer.
      if (request.destroyed) return;
      const refusal = body && (await check(s3, target, request, body));
      held?.release();
      if (refusal) return refuse(response, target, refusal);
    } catch (error) {
      held?.release();
      logger.warn("could not check an S3 request; the emulator takes it unchecked", { error });
    }
    next();
  };

  const onStart = (message: unknown) => {
    const { request, server } = message as { request: IncomingMessage; server: Server };
    if (request.socket.localPort !== port || wrapped.has(server)) return;
    // This runs just before the server emits this very request, so the wrapper sees it too.
    const listeners = server.listeners("request") as Listener[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      void gate(req, res, () => {
        for (const listener of listeners) listener.call(server, req, res);
      });
    });
    wrapped.set(server, listeners);
  };
  subscribe("http.server.request.start", onStart);
  return () => {
    unsubscribe("http.server.request.start", onStart);
    for (const [server, listeners] of wrapped) {
      server.removeAllListeners("request");
      for (const listener of listeners) server.on("request", listener);
    }
    s3.destroy();
  };
}

function needsCheck(target: S3Request, headers: IncomingHttpHeaders): boolean {
  switch (target.operation) {
    case "PostObject":
      return true;
    case "UploadPart":
      return declaresChecksum(headers);
    case "PutObject":
      return declaresChecksum(headers) || preconditioned(headers);
    default:
      return preconditioned(headers);
  }
}

const declaresChecksum = (h: IncomingHttpHeaders) =>
  Boolean(
    h["x-amz-checksum-sha256"] || h["content-md5"] || String(h["x-amz-trailer"] ?? "").includes("sha256"),
  );
const preconditioned = (h: IncomingHttpHeaders) => Boolean(h["if-none-match"] || h["if-match"]);

async function check(s3: S3Client, target: S3Request, request: IncomingMessage, body: Buffer) {
  const h = request.headers;
  if (target.operation === "PostObject") {
    const { fields, file } = await readPostForm(body, String(h["content-type"]));
    return digestRefusal(file, fields["x-amz-checksum-sha256"], fields["content-md5"]);
  }
  if (target.operation === "PutObject" || target.operation === "UploadPart") {
    const chunked = String(h["content-encoding"] ?? "").includes("aws-chunked");
    const { payload, trailers } = chunked ? decodeAwsChunked(body) : { payload: body, trailers: {} };
    const sha256 = header(h, "x-amz-checksum-sha256") ?? trailers["x-amz-checksum-sha256"];
    const refusal = digestRefusal(payload, sha256, header(h, "content-md5"));
    if (refusal) return refusal;
  }
  return PRECONDITIONED.has(target.operation) ? preconditionRefusal(s3, target, h) : undefined;
}

/**
 * BadDigest when `data` does not match the SHA-256 or MD5 (base64) it declares. fauxqs hashes the
 * same bytes again for its ETag (and each part once more at CompleteMultipartUpload), but only
 * after it has stored them; this pass is the one that refuses a damaged body before anything is
 * stored, as AWS does, which the agent's integrity promise (`Content-MD5` on every part) rests on.
 */
function digestRefusal(data: Buffer, sha256?: string, md5?: string): Refusal | undefined {
  for (const [algorithm, declared, bytes] of [
    ["sha256", sha256, 32],
    ["md5", md5, 16],
  ] as const) {
    if (!declared) continue;
    if (Buffer.from(declared, "base64").length !== bytes) {
      return {
        status: 400,
        code: "InvalidDigest",
        message: `The ${algorithm} digest you specified is not valid.`,
      };
    }
    if (createHash(algorithm).update(data).digest("base64") !== declared) {
      const name = algorithm === "md5" ? "Content-MD5" : "SHA256";
      return {
        status: 400,
        code: "BadDigest",
        message: `The ${name} you specified did not match the calculated checksum.`,
      };
    }
  }
  return undefined;
}

async function preconditionRefusal(
  s3: S3Client,
  target: S3Request,
  h: IncomingHttpHeaders,
): Promise<Refusal | undefined> {
  const ifNoneMatch = header(h, "if-none-match");
  const ifMatch = header(h, "if-match");
  if (ifNoneMatch && ifNoneMatch !== "*") {
    return { status: 501, code: "NotImplemented", message: "If-None-Match takes only '*' on writes." };
  }
  const failed = (condition: string): Refusal => ({
    status: 412,
    code: "PreconditionFailed",
    message: "At least one of the pre-conditions you specified did not hold",
    condition,
  });
  const etag = await s3.send(new HeadObjectCommand({ Bucket: target.bucket, Key: target.key })).then(
    (head) => head.ETag ?? "",
    (error: unknown) => {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return undefined;
      throw error;
    },
  );
  if (ifNoneMatch && etag !== undefined) return failed("If-None-Match");
  if (ifMatch && etag === undefined) {
    return { status: 404, code: "NoSuchKey", message: "The specified key does not exist." };
  }
  if (ifMatch && ifMatch !== "*" && unquote(ifMatch) !== unquote(etag ?? "")) return failed("If-Match");
  return undefined;
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const value = h[name];
  return Array.isArray(value) ? value[0] : value;
};
const unquote = (etag: string) => etag.replaceAll('"', "");

function refuse(response: ServerResponse, target: S3Request, refusal: Refusal): void {
  const resource = `/${target.bucket}/${target.key}`;
  const condition = refusal.condition ? `<Condition>${refusal.condition}</Condition>` : "";
  response.writeHead(refusal.status, { "content-type": "application/xml" });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message>` +
      `${condition}<Resource>${escapeXml(resource)}</Resource><RequestId>local</RequestId></Error>`,
  );
}

const escapeXml = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
