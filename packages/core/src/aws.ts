/** AWS client factories: every endpoint comes from the configuration (AWS, the local stack, a test harness). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "./config-schema.ts";

export interface AwsClients {
  s3: S3Client;
  sqs: SQSClient;
  dynamo: DynamoDBDocumentClient;
}

export function createAwsClients(config: Config): AwsClients {
  const { region } = config;
  const s3 = new S3Client({
    region,
    forcePathStyle: config.s3.forcePathStyle,
    // Checksums only where S3 requires them: presigned URLs then carry no CRC32 of an empty body
    // (see research/uploads-ftps-sftp-watching.md §5), and S3-compatible servers accept our uploads.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    ...(config.s3.endpoint && { endpoint: config.s3.endpoint }),
  });
  const sqs = new SQSClient({ region, ...(config.sqs.endpoint && { endpoint: config.sqs.endpoint }) });
  const dynamo = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region, ...(config.dynamodb.endpoint && { endpoint: config.dynamodb.endpoint }) }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return { s3, sqs, dynamo };
}

export function destroyAwsClients(clients: AwsClients): void {
  clients.s3.destroy();
  clients.sqs.destroy();
  clients.dynamo.destroy();
}
