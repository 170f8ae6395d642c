/**
 * SQS-triggered handlers: one line over Powertools' `processPartialResponse`, so a failing record
 * fails only itself (`batchItemFailures`) and the rest of the batch is deleted.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { RecordHandler, Runtime } from "@photo-relay/pipeline";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function sqsHandler(recordHandler: RecordHandler, runtime: () => Runtime): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return (event, context) =>
    processPartialResponse(event, (record: SQSRecord) => recordHandler(runtime(), record), processor, {
      context,
    });
}
