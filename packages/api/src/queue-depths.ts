/** Queue and dead-letter queue depths for the status endpoint. */
import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetters: number | null;
}

export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<QueueDepth> {
  const attrs = await attributes(sqs, queueUrl);
  const redrive = attrs.RedrivePolicy
    ? (JSON.parse(attrs.RedrivePolicy) as { deadLetterTargetArn?: string })
    : {};
  const dlqName = redrive.deadLetterTargetArn?.split(":").at(-1);
  let deadLetters: number | null = null;
  if (dlqName) {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: dlqName }));
    if (QueueUrl) deadLetters = Number((await attributes(sqs, QueueUrl)).ApproximateNumberOfMessages ?? 0);
  }
  return {
    visible: Number(attrs.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attrs.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(attrs.ApproximateNumberOfMessagesDelayed ?? 0),
    deadLetters,
  };
}

async function attributes(sqs: SQSClient, QueueUrl: string): Promise<Record<string, string>> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
  return out.Attributes ?? {};
}
