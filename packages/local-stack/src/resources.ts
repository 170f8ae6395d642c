/** Creates the bucket, queues (each with its dead-letter queue) and table the pipeline uses, idempotently. */
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from "@aws-sdk/client-dynamodb";
import { PHOTOS_TABLE, STAGE_SETTINGS } from "@photo-relay/pipeline/settings";
import type { FauxqsServer } from "fauxqs";

export type StageName = keyof typeof STAGE_SETTINGS;

export interface QueueRef {
  url: string;
  arn: string;
}

/** A stage's queue and its dead-letter queue. */
export interface StageQueues extends QueueRef {
  dlq: QueueRef;
}

export interface LocalResourceNames {
  bucket: string;
  table: string;
  queuePrefix: string;
}

/**
 * Per-stage overrides, e.g. a tiny visibility timeout in redelivery tests, or a shorter function
 * timeout (`timeoutSeconds`, what its consumer's Lambda context counts down from).
 */
export type QueueOverrides = Partial<
  Record<StageName, { visibilityTimeoutSeconds?: number; maxReceives?: number; timeoutSeconds?: number }>
>;

export function createQueuesAndBucket(
  server: FauxqsServer,
  names: LocalResourceNames,
  overrides: QueueOverrides = {},
): Record<StageName, StageQueues> {
  server.createBucket(names.bucket);
  const queues = {} as Record<StageName, StageQueues>;
  for (const stage of Object.keys(STAGE_SETTINGS) as StageName[]) {
    const settings = { ...STAGE_SETTINGS[stage], ...overrides[stage] };
    const dlq = server.createQueue(`${names.queuePrefix}${stage}-dlq`, {
      attributes: { MessageRetentionPeriod: String(14 * 24 * 3600) },
    });
    const queue = server.createQueue(`${names.queuePrefix}${stage}`, {
      attributes: {
        VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlq.queueArn,
          maxReceiveCount: String(settings.maxReceives),
        }),
      },
    });
    queues[stage] = {
      url: queue.queueUrl,
      arn: queue.queueArn,
      dlq: { url: dlq.queueUrl, arn: dlq.queueArn },
    };
  }
  return queues;
}

export async function createPhotosTable(dynamo: DynamoDBClient, table: string): Promise<void> {
  const { byStatus, byTime } = PHOTOS_TABLE.indexes;
  const index = (name: string, hash: string, range: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: hash, KeyType: "HASH" as const },
      { AttributeName: range, KeyType: "RANGE" as const },
    ],
    Projection: { ProjectionType: "ALL" as const },
  });
  try {
    await dynamo.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: ["id", "status", "kind", "updatedAt"].map((name) => ({
          AttributeName: name,
          AttributeType: "S" as const,
        })),
        KeySchema: [{ AttributeName: PHOTOS_TABLE.partitionKey, KeyType: "HASH" }],
        GlobalSecondaryIndexes: [
          index("byStatus", byStatus.partitionKey, byStatus.sortKey),
          index("byTime", byTime.partitionKey, byTime.sortKey),
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
