/** Queue and dead-letter queue depths for the status endpoint, from the URLs the configuration names. */
import { GetQueueAttributesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type Config, requireConfig } from "@photo-relay/core";

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  /** Messages waiting in the dead-letter queue (the subscriber marks their photos and deletes them). */
  deadLetters: number;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string, dlqUrl: string): Promise<QueueDepth> {
  const [queue, dlq] = await Promise.all([attributes(sqs, queueUrl), attributes(sqs, dlqUrl)]);
  return {
    visible: Number(queue.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(queue.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(queue.ApproximateNumberOfMessagesDelayed ?? 0),
    deadLetters: Number(dlq.ApproximateNumberOfMessages ?? 0),
  };
}

const DEPTHS = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
] as const;

async function attributes(sqs: SQSClient, QueueUrl: string): Promise<Record<string, string>> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: [...DEPTHS] }));
  return out.Attributes ?? {};
}

const STATUS_QUEUES = [
  "sqs.convertQueueUrl",
  "sqs.convertDlqUrl",
  "sqs.mirrorQueueUrl",
  "sqs.mirrorDlqUrl",
  "sqs.publishQueueUrl",
  "sqs.publishDlqUrl",
  "sqs.reelQueueUrl",
  "sqs.reelDlqUrl",
] as const;

/** Each stage's queue (and the reel queue, a video's conversion's second half) with its dead-letter queue, as the status endpoint and the dashboard show them. */
export async function stageQueueDepths(sqs: SQSClient, config: Config) {
  const urls = requireConfig(config, STATUS_QUEUES).sqs;
  const [convert, reel, mirror, publish] = await Promise.all([
    queueDepth(sqs, urls.convertQueueUrl, urls.convertDlqUrl),
    queueDepth(sqs, urls.reelQueueUrl, urls.reelDlqUrl),
    queueDepth(sqs, urls.mirrorQueueUrl, urls.mirrorDlqUrl),
    queueDepth(sqs, urls.publishQueueUrl, urls.publishDlqUrl),
  ]);
  return { convert, reel, mirror, publish };
}
