/** Creates the bucket, queues (each with its dead-letter queue) and table the pipeline uses, idempotently. */
import {
  type AttributeValue,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type Projection,
  PutItemCommand,
  ResourceInUseException,
  ScanCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { PHOTOS_TABLE, STAGE_SETTINGS, SUMMARY_PROJECTION } from "@photo-relay/pipeline/settings";
import type { FauxqsServer } from "fauxqs";

/** The region the emulators answer for (any works; the SDK signs with it). */
export const LOCAL_REGION = "us-east-1";

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

/**
 * Creates the Photos table with its indexes and returns once it is ACTIVE (a table is CREATING for
 * a moment after CreateTable, in dynalite as in DynamoDB, and refuses writes with
 * ResourceNotFoundException until then). A table made before an index existed (a local data folder
 * from an older version) is rebuilt with its items: dynalite cannot add an index to a table.
 */
export async function createPhotosTable(dynamo: DynamoDBClient, table: string): Promise<void> {
  try {
    await createActive(dynamo, table);
    return;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
  const has = new Set((Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  if (Object.keys(PHOTOS_TABLE.indexes).every((name) => has.has(name))) return;
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  await dynamo.send(new DeleteTableCommand({ TableName: table }));
  await createActive(dynamo, table);
  for (const Item of items) await dynamo.send(new PutItemCommand({ TableName: table, Item }));
}

async function createActive(dynamo: DynamoDBClient, table: string): Promise<void> {
  await dynamo.send(new CreateTableCommand(photosTableSpec(table)));
  // The SDK's waiter asks at once, then backs off from minDelay (seconds).
  await waitUntilTableExists(
    { client: dynamo, minDelay: 0.02, maxDelay: 0.5, maxWaitTime: 30 },
    { TableName: table },
  );
}

function photosTableSpec(table: string): CreateTableCommandInput {
  const index = (name: keyof typeof PHOTOS_TABLE.indexes, projection: Projection) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: PHOTOS_TABLE.indexes[name].partitionKey, KeyType: "HASH" as const },
      { AttributeName: PHOTOS_TABLE.indexes[name].sortKey, KeyType: "RANGE" as const },
    ],
    Projection: projection,
  });
  return {
    TableName: table,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: ["id", "status", "kind", "updatedAt", "createdAt"].map((name) => ({
      AttributeName: name,
      AttributeType: "S" as const,
    })),
    KeySchema: [{ AttributeName: PHOTOS_TABLE.partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      index("byStatus", { ProjectionType: "ALL" }),
      index("byTime", { ProjectionType: "ALL" }),
      index("byArrival", { ProjectionType: "INCLUDE", NonKeyAttributes: [...SUMMARY_PROJECTION] }),
    ],
  };
}
