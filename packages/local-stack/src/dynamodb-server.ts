/** The embedded DynamoDB-compatible server (dynalite), persisted in a LevelDB folder. */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";

export interface DynamoServer {
  url: string;
  stop(): Promise<void>;
}

export async function startDynamo(path: string, host: string, port: number): Promise<DynamoServer> {
  mkdirSync(path, { recursive: true });
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        // dynalite closes its LevelDB store when the server closes.
        server.close(() => resolve());
      }),
  };
}
