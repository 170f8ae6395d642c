/**
 * The embedded DynamoDB-compatible server (dynalite), persisted in a LevelDB folder (in memory
 * without one, for tests), with the transactions dynalite lacks (`dynamodb-transactions.ts`).
 */
import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import dynalite from "dynalite";
import { serveTransactions } from "./dynamodb-transactions.ts";

export interface DynamoServer {
  url: string;
  stop(): Promise<void>;
}

export async function startDynamo(
  path: string | undefined,
  host = "127.0.0.1",
  port = 0,
): Promise<DynamoServer> {
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ ...(path && { path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${host}:${address.port}`;
  const stopTransactions = serveTransactions(server, () => url);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        stopTransactions();
        server.closeAllConnections();
        // dynalite closes its LevelDB store when the server closes.
        server.close(() => resolve());
      }),
  };
}
