/**
 * SQS-triggered handlers: one line over Powertools' `processPartialResponse`, so a failing record
 * fails only itself (`batchItemFailures`) and the rest of the batch is deleted. Each invocation gets
 * a runtime scoped to it (e.g. one web-host connection for the whole batch), closed at the end.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { beginInvocation, type RecordHandler, type Runtime } from "@photo-relay/pipeline";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export interface SqsHandlerOptions {
  /** Records one after another (they share a connection) instead of all at once. */
  sequential?: boolean;
}

export function sqsHandler(
  recordHandler: RecordHandler,
  runtime: () => Runtime,
  options: SqsHandlerOptions = {},
): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    const invocation = beginInvocation(runtime());
    try {
      return await processPartialResponse(
        event,
        (record: SQSRecord) => recordHandler(invocation.rt, record),
        processor,
        { context, processInParallel: !options.sequential },
      );
    } finally {
      await invocation.end();
    }
  };
}
