/**
 * Every request the S3 emulator (or another in-process server) answered, as the server saw it
 * (Node's `http.server.request.start` diagnostics channel): what the browser really sent, for
 * assertions such as "no part was uploaded twice" or "the duplicate was never sent".
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

export interface HttpRequest {
  method: string;
  path: string;
  status: number;
  startedAt: number;
  at: number;
}

export function recordS3Requests(port: number): { requests: S3Request[]; stop(): void } {
  const requests: S3Request[] = [];
  const recorder = recordRequests(port, (request, response, startedAt) => {
    // The emulator serves SQS on the same port: those requests name their action in a header.
    if (request.method === "OPTIONS" || request.headers["x-amz-target"]) return;
    const url = new URL(request.url ?? "/", "http://s3");
    const key = decodeURIComponent(url.pathname.split("/").slice(2).join("/"));
    const uploadId = url.searchParams.get("uploadId") ?? undefined;
    const partNumber = url.searchParams.get("partNumber");
    requests.push({
      method: request.method ?? "",
      key,
      ...(uploadId && { uploadId }),
      ...(partNumber && { partNumber: Number(partNumber) }),
      status: response.statusCode,
      startedAt,
      at: performance.now(),
    });
  });
  return { requests, stop: recorder };
}

/** Every request another in-process server on `port` answered (the API, say): method, path, timing. */
export function recordHttpRequests(port: number): { requests: HttpRequest[]; stop(): void } {
  const requests: HttpRequest[] = [];
  const stop = recordRequests(port, (request, response, startedAt) => {
    if (request.method === "OPTIONS") return;
    const path = new URL(request.url ?? "/", "http://api").pathname;
    requests.push({
      method: request.method ?? "",
      path,
      status: response.statusCode,
      startedAt,
      at: performance.now(),
    });
  });
  return { requests, stop };
}

function recordRequests(
  port: number,
  onFinish: (request: IncomingMessage, response: ServerResponse, startedAt: number) => void,
): () => void {
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.socket.localPort !== port) return;
    const startedAt = performance.now();
    response.once("finish", () => onFinish(request, response, startedAt));
  };
  subscribe("http.server.request.start", onRequest);
  return () => unsubscribe("http.server.request.start", onRequest);
}
