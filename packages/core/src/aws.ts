/**
 * AWS client factories: every endpoint comes from the configuration (AWS, the local stack, a test
 * harness). Clients are made here and injected; nothing below keeps a client of its own.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "./config-schema.ts";

export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamo: DynamoDBDocumentClient;
}

export interface AwsClientOptions {
  /** Fixed credentials (the local stack's emulators take any); the SDK's default chain when absent. */
  credentials?: S3ClientConfig["credentials"];
}

export function createAwsClients(config: Config, options: AwsClientOptions = {}): AwsClients {
  const { region } = config;
  const common = { region, ...(options.credentials && { credentials: options.credentials }) };
  const s3 = new S3Client({
    ...common,
    forcePathStyle: config.s3.forcePathStyle,
    // Checksums only where S3 requires them: since SDK 3.729.0 the default signs the CRC32 of an
    // empty body into presigned URLs, which S3-compatible servers then refuse
    // (https://github.com/seaweedfs/seaweedfs/issues/10216, https://github.com/localstack/localstack/issues/12169).
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(config.s3.endpoint && { endpoint: config.s3.endpoint }),
  });
  const sqs = new SQSClient({ ...common, ...(config.sqs.endpoint && { endpoint: config.sqs.endpoint }) });
  return { s3, sqs, dynamo: createDynamoClient(config, options) };
}

/** The table's document client, on its own for the functions that use no bucket or queue. */
export function createDynamoClient(config: Config, options: AwsClientOptions = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: config.region,
      ...(options.credentials && { credentials: options.credentials }),
      ...(config.dynamodb.endpoint && { endpoint: config.dynamodb.endpoint }),
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

/**
 * The SSM client, for the Instagram token's parameter. Separate from {@link createAwsClients} so
 * that only the functions that read the token (publish, the API, the refresh job) make one, and a
 * bundle that never calls this leaves the SSM SDK out.
 */
export function createSsmClient(config: Config, options: AwsClientOptions = {}): SSMClient {
  return new SSMClient({
    region: config.region,
    ...(options.credentials && { credentials: options.credentials }),
  });
}

/** The SNS client, for the dead-letter alerts: only the dead-letter subscriber makes one. */
export function createSnsClient(config: Config, options: AwsClientOptions = {}): SNSClient {
  return new SNSClient({
    region: config.region,
    ...(options.credentials && { credentials: options.credentials }),
    ...(config.alerts.endpoint && { endpoint: config.alerts.endpoint }),
  });
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.dynamo.destroy();
}
