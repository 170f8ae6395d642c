/** The worker side of `dynamodb-thread.ts`: starts the server, posts its URL, stops it on "stop". */
import { parentPort, workerData } from "node:worker_threads";
import { startDynamo } from "./dynamodb-server.ts";

const { path, host, port } = workerData as { path?: string; host: string; port: number };
const server = await startDynamo(path, host, port);
parentPort?.on("message", async (message: unknown) => {
  if (message !== "stop") return;
  await server.stop();
  process.exit(0);
});
parentPort?.postMessage({ url: server.url });
