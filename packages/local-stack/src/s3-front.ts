/**
 * The stack's one AWS port serves SQS and SNS from the main thread's emulator and S3 from the S3
 * thread (`s3-thread.ts`): each S3 request is streamed to the thread's emulator and its answer
 * streamed back, so the bodies' writes and digests happen off the main thread while clients,
 * the banner and the stack's own taps (CORS, notifications, request recorders in tests) still see
 * every request on the one port. The main emulator's request handler is wrapped once, found
 * through Node's `http.server.request.start` diagnostics channel as `s3-cors.ts` finds it.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { Agent, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { S3Thread } from "./s3-thread.ts";
import { SPY_SEQUENCE_HEADER } from "./s3-worker-protocol.ts";

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

/** SQS (JSON protocol), SNS (query protocol) and the emulator's own pages stay on the main thread. */
function servedHere(req: IncomingMessage): boolean {
  const path = (req.url ?? "/").split("?")[0];
  if (path === "/health" || path?.startsWith("/_fauxqs")) return true;
  const type = req.headers["content-type"] ?? "";
  return (
    req.method === "POST" &&
    path === "/" &&
    (type.includes("application/x-amz-json-1.0") || type.includes("application/x-www-form-urlencoded"))
  );
}

/** Starts sending the S3 requests on `port` to `thread`; returns the function that stops it. */
export function routeS3ToThread(port: number, thread: S3Thread): () => void {
  const agent = new Agent({ keepAlive: true });
  const wrapped = new Map<Server, Listener[]>();

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    // The front has already said "100 Continue" to the client; the thread must not wait for it.
    const { expect: _, ...headers } = req.headers;
    let answer: IncomingMessage | undefined;
    const upstream = request(
      { host: "127.0.0.1", port: thread.port, method: req.method, path: req.url, headers, agent },
      (reply) => {
        answer = reply;
        const recorded = Number(reply.headers[SPY_SEQUENCE_HEADER] ?? 0);
        void thread.recorded(recorded).then(() => {
          const { [SPY_SEQUENCE_HEADER]: _seq, connection: _c, "keep-alive": _k, ...rest } = reply.headers;
          res.writeHead(reply.statusCode ?? 502, reply.statusMessage, rest);
          reply.pipe(res);
        });
      },
    );
    upstream.on("error", (error) => {
      // A refusal before the whole body (the emulator's 413) closes the thread's end while the
      // body is still being sent: the answer is whole, only the rest of the body did not go.
      if (answer?.complete) return;
      if (answer || res.headersSent) return void res.destroy(error);
      res.writeHead(502, { "content-type": "application/xml" });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>the S3 thread did not answer</Message></Error>`,
      );
    });
    // Once the thread's end is closed, nothing reads the rest of the client's body unless this
    // does: unpiped, the request would stay paused and the client, blocked on sending a body
    // nobody takes, would never read its answer nor free the connection. As Node's server does
    // with a body its handler left unread, the rest is read and dropped.
    upstream.once("close", () => {
      if (req.readableEnded) return;
      req.unpipe(upstream);
      req.resume();
    });
    res.once("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const onStart = (message: unknown) => {
    const { request: req, server } = message as { request: IncomingMessage; server: Server };
    if (req.socket.localPort !== port || wrapped.has(server)) return;
    // This runs just before the server emits this very request, so the wrapper sees it too.
    const listeners = server.listeners("request") as Listener[];
    server.removeAllListeners("request");
    server.on("request", (r: IncomingMessage, s: ServerResponse) => {
      if (servedHere(r)) {
        for (const listener of listeners) listener.call(server, r, s);
      } else if (!s.writableEnded) forward(r, s); // unless answered already (a CORS preflight)
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
    agent.destroy();
  };
}
