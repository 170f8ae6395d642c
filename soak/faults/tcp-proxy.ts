/**
 * A TCP proxy in front of a server that the soak can take down: "pass" forwards, "refuse" resets
 * every new connection and drops the open ones (a host gone). Generalised from the agent tests'
 * proxy (agent/test/helpers/tcp-proxy.ts) to any upstream: S3, the FTPS and SFTP hosts.
 */
import { connect, createServer, type Socket } from "node:net";

export interface TcpProxy {
  port: number;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, host = "127.0.0.1"): Promise<TcpProxy> {
  let down = false;
  const open = new Set<Socket>();
  const track = (socket: Socket) => {
    open.add(socket);
    socket.on("close", () => open.delete(socket));
    socket.on("error", () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    if (down) return void client.resetAndDestroy();
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
