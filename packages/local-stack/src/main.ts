/** The `npm start` process: starts the local stack, prints what runs where, stops on Ctrl-C. */
import { parseArgs } from "node:util";
import { ConfigError, createLogger } from "@photo-relay/core";
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
    });
    const rows = [
      ["S3 + SQS (fauxqs)", stack.urls.aws],
      ["DynamoDB (dynalite)", stack.urls.dynamodb],
      ["HTTP API", `${stack.urls.api}  (Authorization: Bearer ${stack.apiToken})`],
      ["Dashboard / phone upload", `${stack.urls.api}/app/dashboard  ${stack.urls.api}/app/upload`],
      ["Mirror target (web)", stack.urls.web],
      ["Instagram sandbox feed", stack.urls.graph],
      ["Agent inbox", values["no-agent"] ? "(off)" : values.inbox],
      ["Data", values["data-dir"]],
    ];
    const width = Math.max(...rows.map(([k]) => (k as string).length));
    process.stdout.write(
      `\nphoto-relay local stack is running\n\n${rows.map(([k, v]) => `  ${(k as string).padEnd(width)}  ${v}`).join("\n")}\n\nDrop photos into ${values.inbox}/ — Ctrl-C stops.\n\n`,
    );
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
