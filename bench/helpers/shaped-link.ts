/**
 * A shaped link for the benchmarks: a TCP proxy on 127.0.0.1 that forwards to `target` at most
 * `bitsPerSecond` in each direction (all connections share it, as they share a real uplink) and
 * adds `rttMs / 2` of delay each way, bytes in order. Buffers are bounded: a sender is paused while
 * more than 256 KiB of its bytes wait, so TCP's own flow control still applies. A close travels
 * like the data before it (a response is never cut off by its own connection's end). Loopback only.
 */
import { connect, createServer, type Socket } from "node:net";

const HIGH_WATER = 256 * 1024;

export interface ShapedLink {
  endpoint: string;
  close(): Promise<void>;
}

interface Link {
  /** When the link is free again (ms, performance.now()). */
  freeAt: number;
}

export async function startShapedLink(
  target: { host: string; port: number },
  { bitsPerSecond, rttMs }: { bitsPerSecond: number; rttMs: number },
): Promise<ShapedLink> {
  const up: Link = { freeAt: 0 };
  const down: Link = { freeAt: 0 };
  const open = new Set<Socket>();
  /**
   * Forwards `from` → `to` through `link`. Each chunk is due when the link has serialised it plus
   * half the RTT; chunks (and finally the end) leave strictly in arrival order from one queue, so
   * neither timer rounding nor a close arriving with the last bytes can reorder or drop them.
   */
  const pipe = (from: Socket, to: Socket, link: Link) => {
    const queue: { due: number; chunk?: Buffer }[] = [];
    let queued = 0;
    let scheduled = false;
    const schedule = (due: number) => {
      scheduled = true;
      setTimeout(flush, Math.max(0, due - performance.now()));
    };
    const flush = () => {
      scheduled = false;
      const now = performance.now();
      while (queue[0] && queue[0].due <= now) {
        const { chunk } = queue.shift() as { chunk?: Buffer };
        if (!chunk) {
          to.end();
          continue;
        }
        queued -= chunk.length;
        if (!to.destroyed) to.write(chunk);
      }
      if (queued <= HIGH_WATER && from.isPaused()) from.resume();
      if (queue[0]) schedule(queue[0].due);
    };
    const enqueue = (due: number, chunk?: Buffer) => {
      queue.push({ due, ...(chunk && { chunk }) });
      if (!scheduled) schedule(due);
    };
    from.on("data", (chunk: Buffer) => {
      const now = performance.now();
      link.freeAt = Math.max(now, link.freeAt) + (chunk.length * 8 * 1000) / bitsPerSecond;
      queued += chunk.length;
      if (queued > HIGH_WATER) from.pause();
      enqueue(link.freeAt + rttMs / 2, chunk);
    });
    // The end (or a reset) reaches the other side after the bytes that were sent before it.
    from.on("close", () => enqueue(Math.max(performance.now() + rttMs / 2, queue.at(-1)?.due ?? 0)));
  };
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on("close", () => open.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    pipe(client, upstream, up);
    pipe(upstream, client, down);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
