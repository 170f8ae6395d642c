/**
 * CORS for the S3 emulator, standing in for the bucket's CORS rule in AWS (SST's default allows
 * every origin), so the phone page can POST files to it from the API's origin. The emulator has no
 * CORS support; we add the headers to its responses through Node's `http.server.request.start`
 * diagnostics channel, and answer preflight requests (an upload with progress events has one)
 * ourselves before the emulator sees them; it then finds the response sent and leaves it.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";

export function allowCors(port: number): () => void {
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.socket.localPort !== port || !request.headers.origin) return;
    response.setHeader("Access-Control-Allow-Origin", request.headers.origin);
    response.setHeader("Access-Control-Expose-Headers", "ETag, x-amz-version-id");
    response.setHeader("Vary", "Origin");
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"]) {
      response.writeHead(200, {
        "Access-Control-Allow-Methods": "GET, PUT, POST, DELETE, HEAD",
        "Access-Control-Allow-Headers": request.headers["access-control-request-headers"] ?? "*",
        "Access-Control-Max-Age": "3000",
      });
      response.end();
    }
  };
  subscribe("http.server.request.start", onRequest);
  return () => unsubscribe("http.server.request.start", onRequest);
}
