/**
 * The soak's local stack in a process of its own (as `npm start` runs it), so its memory is its
 * own and the soak can watch it: started with the options the parent passes as JSON in argv[2],
 * the functions from their bundles (each in a worker, as Lambda runs them). It answers over IPC:
 * `{ ready }` once up (the parent sizes libuv's pool in its environment, as `npm start` does), then `crash <function>` (end one function's container mid-batch) and `stop`.
 */
import { createLogger } from "@photo-relay/core";
import { type LocalStackOptions, startLocalStack } from "@photo-relay/local-stack";
import type { StackReady, StackRequest } from "./stack-protocol.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as LocalStackOptions;
const logger = createLogger("soak-stack", { level: "INFO" });
const stack = await startLocalStack({ ...options, logger, env: {} });
const ready: StackReady = {
  urls: stack.urls,
  apiToken: stack.apiToken,
  bucket: stack.config.s3.bucket,
  awsPort: stack.fauxqs.port,
  queues: {
    convert: stack.config.sqs.convertQueueUrl,
    mirror: stack.config.sqs.mirrorQueueUrl,
    publish: stack.config.sqs.publishQueueUrl,
  },
  tokenStore:
    stack.config.instagram.tokenStore?.type === "file" ? stack.config.instagram.tokenStore.path : "",
};
process.send?.({ ready });
process.on("message", async (request: StackRequest) => {
  if (request.cmd === "crash") await stack.crashFunction?.(request.name);
  if (request.cmd === "stop") {
    await stack.stop();
    process.exit(0);
  }
  process.send?.({ done: request.cmd });
});
