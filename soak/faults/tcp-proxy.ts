/**
 * A TCP proxy in front of a server that the soak can take down: "pass" forwards, "refuse" resets
 * every new connection and drops the open ones (a host gone). Generalised from the agent tests'
 * proxy (agent/test/helpers/tcp-proxy.ts) to any upstream: S3, the FTPS and SFTP hosts.
 */
import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  setDown(down: boolean): void;
  /** Connections refused while down (proof that a client tried). */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, host = "127.0.0.1"): Promise<TcpProxy> {
  let down = false;
  let refused = 0;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (down) {
      refused++;
      return void client.resetAndDestroy();
    }
    const upstream = connect(targetPort, host);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const dropAll = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  return {
    port: (server.address() as { port: number }).port,
    get refused() {
      return refused;
    },
    setDown(next) {
      down = next;
      if (down) dropAll();
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
