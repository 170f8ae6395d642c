/** A local folder served over HTTP: the local stack's stand-in for the user's web host. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";

export interface WebServer {
  url: string;
  stop(): Promise<void>;
}

export async function startWebServer(root: string, host: string, port: number): Promise<WebServer> {
  const app = new Hono();
  app.use("/*", serveStatic({ root }));
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
