/**
 * A TCP proxy between the agent and S3 that can cut the network: "pass" forwards, "refuse" resets
 * every connection (and drops the open ones), "blackhole" accepts and swallows bytes without answering.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export type ProxyMode = "pass" | "refuse" | "blackhole";

export interface TcpProxy {
  endpoint: string;
  setMode(mode: ProxyMode): void;
  /** Destroys every open connection once (a flaky link), staying in the current mode. */
  dropAll(): void;
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "pass";
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === "refuse") return void client.resetAndDestroy();
    if (mode === "blackhole") return void client.resume(); // read and discard, never answer
    const upstream = connect(target.port, target.host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const dropAll = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get connections() {
      return open.size;
    },
    setMode(next) {
      mode = next;
      if (next !== "pass") dropAll(); // the link goes down: open connections die or hang with it
    },
    dropAll,
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
