/**
 * What the dead-letter subscriber works with: the photo store, the DLQ URLs (to tell which stage a
 * message gave up in) and where alerts go. No bucket, no stage queue: it only marks and tells.
 */
import type { SNSClient } from "@aws-sdk/client-sns";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type AwsClientOptions,
  type Config,
  type ConfigWith,
  createDynamoClient,
  createLogger,
  createSnsClient,
  type Logger,
  requireConfig,
} from "@photo-relay/core";
import { PhotoStore } from "../photo/photo-store.ts";

export const DEAD_LETTER_NEEDS = [
  "dynamodb.table",
  "sqs.convertDlqUrl",
  "sqs.mirrorDlqUrl",
  "sqs.publishDlqUrl",
  "sqs.reelDlqUrl",
] as const;

export interface DeadLetterRuntime {
  config: ConfigWith<(typeof DEAD_LETTER_NEEDS)[number]>;
  photos: PhotoStore;
  /** Present when `alerts.topicArn` is set. */
  sns: SNSClient | undefined;
  /** For the webhook; injectable for tests of the client side only. */
  fetch: typeof fetch;
  logger: Logger;
  now: () => Date;
  close(): void;
}

export interface DeadLetterRuntimeOptions extends AwsClientOptions {
  logger?: Logger;
  now?: () => Date;
}

export function createDeadLetterRuntime(
  input: Config,
  options: DeadLetterRuntimeOptions = {},
): DeadLetterRuntime {
  const config = requireConfig(input, DEAD_LETTER_NEEDS);
  const now = options.now ?? (() => new Date());
  const dynamo: DynamoDBDocumentClient = createDynamoClient(config, options);
  const sns = config.alerts.topicArn ? createSnsClient(config, options) : undefined;
  return {
    config,
    photos: new PhotoStore(dynamo, config.dynamodb.table, now),
    sns,
    fetch: globalThis.fetch,
    logger: options.logger ?? createLogger("dead-letters"),
    now,
    close: () => {
      dynamo.destroy();
      sns?.destroy();
    },
  };
}
