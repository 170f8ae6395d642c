/**
 * Every request the S3 emulator answered, as the server saw it (Node's `http.server.request.start`
 * diagnostics channel): what the browser really sent to S3, for assertions such as "no part was
 * uploaded twice" or "the duplicate was never sent".
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";

export interface S3Request {
  method: string;
  key: string;
  uploadId?: string;
  partNumber?: number;
  status: number;
  /** `performance.now()` when the request arrived and when its answer was sent. */
  startedAt: number;
  at: number;
}

export function recordS3Requests(port: number): { requests: S3Request[]; stop(): void } {
  const requests: S3Request[] = [];
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    // The emulator serves SQS on the same port: those requests name their action in a header.
    if (request.socket.localPort !== port || request.method === "OPTIONS" || request.headers["x-amz-target"])
      return;
    const url = new URL(request.url ?? "/", "http://s3");
    const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
    const uploadId = url.searchParams.get("uploadId") ?? undefined;
    const partNumber = url.searchParams.get("partNumber");
    const startedAt = performance.now();
    response.once("finish", () =>
      requests.push({
        method: request.method ?? "",
        key,
        ...(uploadId && { uploadId }),
        ...(partNumber && { partNumber: Number(partNumber) }),
        status: response.statusCode,
        startedAt,
        at: performance.now(),
      }),
    );
  };
  subscribe("http.server.request.start", onRequest);
  return { requests, stop: () => unsubscribe("http.server.request.start", onRequest) };
}
