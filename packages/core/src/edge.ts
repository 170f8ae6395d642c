/**
 * Core for the edge agent: everything but the AWS service clients (`aws.ts`). The agent builds its
 * own S3 client, and the barrel's DynamoDB, SNS, SQS and SSM clients cost it memory it never uses.
 */
export * from "./agent-reports.ts";
export * from "./config.ts";
export * from "./errors.ts";
export * from "./ids.ts";
export * from "./logger.ts";
export * from "./retry.ts";
