/**
 * Subscribed to every dead-letter queue (`infra/dead-letters.ts`): each message marks its photo's
 * stage as dead-lettered and sends the alert (SNS `Resource.Alerts`, the `AlertWebhookUrl` secret).
 * A record whose marking fails stays on its queue and comes back.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import {
  createDeadLetterRuntime,
  type DeadLetterRuntime,
  handleDeadLetter,
} from "@photo-relay/pipeline/dead-letters";
import type { SQSRecord } from "aws-lambda";
import { lambdaConfig, once } from "./runtime.ts";
import type { SqsHandler } from "./sqs-handler.ts";

/** The dead-letter consumer over any runtime (the local stack passes its own). */
export function createHandler(runtime: () => DeadLetterRuntime): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return (event, context) =>
    processPartialResponse(event, (record: SQSRecord) => handleDeadLetter(runtime(), record), processor, {
      context,
      throwOnFullBatchFailure: false,
    });
}

export const handler = createHandler(once(() => createDeadLetterRuntime(lambdaConfig("deadLetter"))));
