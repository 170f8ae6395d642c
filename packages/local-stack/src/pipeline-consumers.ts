/**
 * The functions that consume queues, as the local stack runs them: each stage's handler on its
 * queue and the dead-letter handler on every dead-letter queue, with the batch size, timeout,
 * memory and concurrency the deployment gives them (`STAGE_SETTINGS`, `infra/functions.ts`).
 */

import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "@photo-relay/core";
import { DEAD_LETTER_SETTINGS, STAGE_SETTINGS } from "@photo-relay/pipeline/settings";
import type { QueueOverrides, StageName, StageQueues } from "./resources.ts";
import { type Consumer, type SqsLambdaHandler, startConsumer } from "./sqs-runner.ts";

export interface ConsumerHandlers {
  /** The handler of `stage`'s function. */
  stage(stage: StageName): SqsLambdaHandler;
  /** The dead-letter subscriber's handler, one for every dead-letter queue. */
  deadLetter: SqsLambdaHandler;
}

export interface PipelineConsumerOptions {
  queues: Record<StageName, StageQueues>;
  handlers: ConsumerHandlers;
  sqs: SQSClient;
  region: string;
  logger: Logger;
  overrides?: QueueOverrides;
}

export function startPipelineConsumers(options: PipelineConsumerOptions): Consumer[] {
  const { queues, handlers, sqs, region, logger, overrides = {} } = options;
  const stages = Object.keys(queues) as StageName[];
  const common = { sqs, region, logger, waitSeconds: 1 };
  return [
    ...stages.map((stage) =>
      startConsumer({
        ...common,
        functionName: `photo-relay-${stage}`,
        queueUrl: queues[stage].url,
        queueArn: queues[stage].arn,
        handler: handlers.stage(stage),
        batchSize: STAGE_SETTINGS[stage].batchSize,
        timeoutMs: (overrides[stage]?.timeoutSeconds ?? STAGE_SETTINGS[stage].timeoutSeconds) * 1000,
        memoryMb: STAGE_SETTINGS[stage].memoryMb,
        // Convert: one photo per core here (AWS scales it freely); publish: AWS's cap (maximumConcurrency
        // 2 in infra/functions.ts), so a step waiting for Meta holds up no other photo. Mirror: one, as
        // its invocations here share one module and so one connection per target, which two
        // invocations at once would interleave (basic-ftp refuses a second task); on AWS each
        // concurrent invocation has a container, and connections, of its own.
        concurrency: stage === "mirror" ? 1 : 2,
      }),
    ),
    ...stages.map((stage) =>
      startConsumer({
        ...common,
        functionName: "photo-relay-dead-letters",
        queueUrl: queues[stage].dlq.url,
        queueArn: queues[stage].dlq.arn,
        handler: handlers.deadLetter,
        batchSize: DEAD_LETTER_SETTINGS.batchSize,
        timeoutMs: DEAD_LETTER_SETTINGS.timeoutSeconds * 1000,
        memoryMb: DEAD_LETTER_SETTINGS.memoryMb,
      }),
    ),
  ];
}
