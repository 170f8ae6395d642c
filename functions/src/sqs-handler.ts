/**
 * SQS-triggered handlers: one line over Powertools' `processPartialResponse`, so a failing record
 * fails only itself (`batchItemFailures`) and the rest of the batch is deleted. What a failure
 * means for the photo is decided by the pipeline's stage runner (`runRecord`), once. Each
 * invocation opens what its records share (mirror: a session per web host) and closes it at the end.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Runtime } from "@photo-relay/pipeline/runtime";
import { runRecord, type Stage } from "@photo-relay/pipeline/stage-runner";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

export function sqsHandler<Job, R extends Runtime, S extends Runtime>(
  stage: Stage<Job, R, S>,
  runtime: () => R,
): SqsHandler {
  const processor = new BatchProcessor(EventType.SQS);
  return async (event, context) => {
    const batch = stage.openBatch(
      runtime(),
      event.Records.map((r) => r.body),
    );
    try {
      return await processPartialResponse(
        event,
        (record: SQSRecord) => runRecord(stage, batch.scope, record, context),
        processor,
        // A batch whose every record failed is still answered record by record, not thrown.
        { context, processInParallel: !stage.sequential, throwOnFullBatchFailure: false },
      );
    } finally {
      await batch.close();
    }
  };
}
