/**
 * A tiny HTTP server for media fixtures, standing in for the public URL Meta downloads from (a presigned
 * S3 URL, a mirror). Tests put bytes at paths; a path can also hang, to provoke the download timeout.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type HostedFile = { body: Uint8Array | string; contentType: string } | "hang";

export interface MediaHost {
  url: string;
  /** Serves `file` at `path` (leading slash optional); returns its full URL. */
  put(path: string, file: HostedFile): string;
  /** Paths requested so far, in order. */
  readonly requests: string[];
  stop(): Promise<void>;
}

/** Starts the host on a random loopback port. Unknown paths answer 404. */
export async function startMediaHost(): Promise<MediaHost> {
  const files = new Map<string, HostedFile>();
  const requests: string[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    requests.push(path);
    const file = files.get(path);
    if (file === "hang") {
      hanging.add(res);
      return;
    }
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    const body = typeof file.body === "string" ? Buffer.from(file.body) : file.body;
    res.writeHead(200, { "content-type": file.contentType, "content-length": body.byteLength }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    put(path, file) {
      const p = path.startsWith("/") ? path : `/${path}`;
      files.set(p, file);
      return `${url}${p}`;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
