/** The `npm start` process: starts the local stack, prints what runs where, stops on Ctrl-C. */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, createLogger } from "@photo-relay/core";
import { bannerText } from "./banner.ts";
import { startLocalStack } from "./stack.ts";

const DEFAULT_PORTS = { aws: 4566, dynamodb: 8000, api: 3000, web: 8080, graph: 8090 };

export async function startMain(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "data-dir": { type: "string", default: process.env.PHOTO_RELAY_DATA_DIR ?? ".data" },
      inbox: { type: "string", default: process.env.PHOTO_RELAY_INBOX ?? "inbox" },
      processed: { type: "string", default: process.env.PHOTO_RELAY_PROCESSED ?? "processed" },
      "random-ports": { type: "boolean", default: false },
      manual: { type: "boolean", default: process.env.PHOTO_RELAY_PUBLISH_MODE === "manual" },
      "no-agent": { type: "boolean", default: false },
    },
  });
  const logger = createLogger("local-stack");
  try {
    const stack = await startLocalStack({
      dataDir: values["data-dir"],
      inbox: values["no-agent"] ? false : values.inbox,
      processedDir: values.processed,
      ports: values["random-ports"] ? {} : DEFAULT_PORTS,
      publishMode: values.manual ? "manual" : "auto",
      logger,
      apiThread: true,
    });
    const inbox: string | false = values["no-agent"] ? false : resolve(values.inbox);
    const places = { inbox, processed: resolve(values.processed), dataDir: resolve(values["data-dir"]) };
    process.stdout.write(bannerText(stack, { ...places, cwd: process.cwd() }));
    let stopping = false;
    const shutdown = async () => {
      if (stopping) return;
      stopping = true;
      process.stdout.write("\nstopping…\n");
      await stack.stop();
      process.exit(0);
    };
    process.on("SIGINT", shutdown);
    process.on("SIGTERM", shutdown);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    if ((error as { code?: string }).code === "EADDRINUSE") {
      process.stderr.write(
        `a port is already in use: ${(error as Error).message}\nTry: npm start -- --random-ports\n`,
      );
      process.exit(2);
    }
    throw error;
  }
}
