/**
 * Subscribed to every dead-letter queue (`infra/dead-letters.ts`). For now it records each message
 * that gave up in the function's error log, where CloudWatch keeps it; marking the photo's stage as
 * dead-lettered and sending the alert (SNS `Resource.Alerts`, the `AlertWebhookUrl` secret) are
 * still to come (issue 9). The stage was already marked failed by its last attempt.
 */
import { createLogger } from "@photo-relay/core";
import type { SQSEvent } from "aws-lambda";

const logger = createLogger("dead-letter");

export const handler = async (event: SQSEvent): Promise<void> => {
  for (const record of event.Records)
    logger.error("a message gave up and reached its dead-letter queue", {
      queue: record.eventSourceARN.split(":").at(-1),
      messageId: record.messageId,
      body: record.body.slice(0, 4096),
    });
};
