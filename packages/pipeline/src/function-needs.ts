/**
 * What each function of the app needs from its configuration (the names, URLs and secrets of the
 * resources it uses), checked when it starts. `infra/` links each function to exactly these (a
 * synthesis check holds it to that), so no function holds a queue URL or a token it does not use.
 * Dependency-free, like `settings.ts`: infra and the local stack read it.
 */
import type { ConfigNeed } from "@photo-relay/core";

const table = ["dynamodb.table"] as const;
const pipeline = ["s3.bucket", ...table] as const;
const account = ["instagram.userId", "instagram.accessToken", ...table] as const;

export const FUNCTION_NEEDS = {
  /** Its own queue (retry delays), and mirror's, publish's and reel's, which it hands jobs to. */
  convert: [
    ...pipeline,
    "sqs.convertQueueUrl",
    "sqs.mirrorQueueUrl",
    "sqs.publishQueueUrl",
    "sqs.reelQueueUrl",
  ],
  /** Its own queue, and mirror's and publish's: a video goes on from here as a converted photo does. */
  reel: [...pipeline, "sqs.reelQueueUrl", "sqs.mirrorQueueUrl", "sqs.publishQueueUrl"],
  /** Publish's queue: with `instagram.imageSource: "mirror"` it hands publish its first job. */
  mirror: [...pipeline, "sqs.mirrorQueueUrl", "sqs.publishQueueUrl"],
  publish: [...pipeline, ...account, "sqs.publishQueueUrl"],
  /** Retry and publish-now send to every stage; `/status` counts every queue and dead-letter queue. */
  api: [
    ...pipeline,
    ...account,
    "api.token",
    "sqs.convertQueueUrl",
    "sqs.mirrorQueueUrl",
    "sqs.publishQueueUrl",
    "sqs.reelQueueUrl",
    "sqs.convertDlqUrl",
    "sqs.mirrorDlqUrl",
    "sqs.publishDlqUrl",
    "sqs.reelDlqUrl",
  ],
  tokenRefresh: account,
  /** The dead-letter queues' URLs tell it which stage a message gave up in. */
  deadLetter: [...table, "sqs.convertDlqUrl", "sqs.mirrorDlqUrl", "sqs.publishDlqUrl", "sqs.reelDlqUrl"],
} as const satisfies Record<string, readonly ConfigNeed[]>;

export type FunctionName = keyof typeof FUNCTION_NEEDS;

/** Fields a function reads when they are set, and works without: linked too, where infra has them. */
export const FUNCTION_OPTIONS: Partial<Record<FunctionName, readonly string[]>> = {
  deadLetter: ["alerts.topicArn", "alerts.webhookUrl"],
};
