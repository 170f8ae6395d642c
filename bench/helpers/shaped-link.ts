/**
 * A shaped link for the benchmarks: a TCP proxy on 127.0.0.1 that forwards to `target` at most
 * `bitsPerSecond` in each direction (all connections share it, as they share a real uplink) and
 * adds `rttMs / 2` of delay each way. Buffers are bounded: a sender is paused while more than
 * 256 KiB of its bytes wait, so TCP's own flow control still applies. A close travels like the
 * data before it (a response is never cut off by its own connection's end). Loopback only.
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
  /** Forwards `from` → `to` through `link`; resolves when `from` has ended and all its bytes arrived. */
  const pipe = (from: Socket, to: Socket, link: Link) => {
    let waiting = 0;
    let lastArrival = 0;
    from.on("data", (chunk: Buffer) => {
      const now = performance.now();
      // Serialised at the link rate after whatever is already queued, then delayed by half the RTT.
      link.freeAt = Math.max(now, link.freeAt) + (chunk.length * 8 * 1000) / bitsPerSecond;
      lastArrival = Math.max(lastArrival, link.freeAt + rttMs / 2);
      waiting += chunk.length;
      if (waiting > HIGH_WATER) from.pause();
      setTimeout(() => {
        waiting -= chunk.length;
        if (!to.destroyed) to.write(chunk);
        if (waiting <= HIGH_WATER) from.resume();
      }, lastArrival - now);
    });
    // The end (or a reset) reaches the other side after the bytes that were sent before it.
    from.on("close", () =>
      setTimeout(() => to.end(), Math.max(performance.now() + rttMs / 2, lastArrival) - performance.now()),
    );
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
