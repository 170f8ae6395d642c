/**
 * A static web host for the gallery tests: serves a folder (the one vsftpd writes to) over HTTP on
 * a random loopback port, as plain web space does: files only, with an ETag and Last-Modified so
 * that a revalidating browser gets 304 for an unchanged file.
 */
import { open } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".jpg": "image/jpeg",
  ".webp": "image/webp",
};

export interface StaticServer {
  /** `http://127.0.0.1:<port>/`, standing for `root`. */
  url: string;
  close(): Promise<void>;
}

export async function serveFolder(root: string): Promise<StaticServer> {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname));
    const file = join(root, path.endsWith("/") ? `${path}index.html` : path);
    // One open file: its ETag and bytes belong to the same version even when a rename replaces it.
    const handle = await open(file).catch(() => undefined);
    try {
      if (!handle) throw new Error("not found");
      const info = await handle.stat();
      const etag = `"${info.size.toString(16)}-${Math.round(info.mtimeMs * 1000).toString(16)}"`;
      const headers = {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        etag,
        "last-modified": info.mtime.toUTCString(),
        "cache-control": "no-cache",
      };
      if (request.headers["if-none-match"] === etag) {
        response.writeHead(304, headers).end();
        return;
      }
      const body = await handle.readFile();
      response.writeHead(200, { ...headers, "content-length": body.length }).end(body);
    } catch {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    } finally {
      await handle?.close();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
