/** The HTTP API on Node: the same Hono app that runs in Lambda, or the API function's bundle behind API Gateway's event format. */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export async function startApiServer(
  fetch: (request: Request) => Response | Promise<Response>,
  host: string,
  port: number,
) {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch, hostname: host, port }, () => resolve(s));
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
