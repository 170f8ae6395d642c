export { type DynamoServer, startDynamo } from "./dynamodb-server.ts";
export type { FunctionBundles } from "./local-functions.ts";
export * from "./resources.ts";
export * from "./s3-multipart-listing.ts";
export * from "./s3-multipart-sweep.ts";
export * from "./s3-notifications.ts";
export * from "./sqs-runner.ts";
export * from "./stack.ts";
