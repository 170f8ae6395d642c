/** The HTTP API on Node, the same Hono app that runs in Lambda. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApi } from "@photo-relay/api";
import type { PublishRuntime } from "@photo-relay/pipeline/api";

export async function startApiServer(runtime: PublishRuntime, host: string, port: number) {
  const app = createApi(() => runtime);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
