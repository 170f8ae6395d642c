/**
 * Runs a Lambda SQS handler as a queue consumer with Lambda's event-source-mapping semantics:
 * batches of up to `batchSize` records in AWS's event shape, a per-invocation timeout, partial
 * batch responses (records in `batchItemFailures` stay on the queue, the rest are deleted), a
 * thrown error or a timeout failing the whole batch, redelivery after the queue's visibility
 * timeout and dead-lettering after its max receives (both enforced by the queue itself).
 *
 * Failed records are never made visible early with `ChangeMessageVisibility(0)`: the emulator's
 * SQLite persistence loses the message on that call (docs/local-emulators.md), and
 * Lambda does not do it either.
 */
import { randomUUID } from "node:crypto";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Logger } from "@photo-relay/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export type SqsLambdaHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface ConsumerOptions {
  functionName: string;
  queueUrl: string;
  queueArn: string;
  region: string;
  handler: SqsLambdaHandler;
  sqs: SQSClient;
  logger: Logger;
  batchSize?: number;
  /** Concurrent pollers, like Lambda's concurrent invocations for one mapping. */
  concurrency?: number;
  timeoutMs?: number;
  memoryMb?: number;
  /** Long-poll wait; shorter makes `stop()` quicker. */
  waitSeconds?: number;
}

export interface Consumer {
  stop(): Promise<void>;
}

export function startConsumer(options: ConsumerOptions): Consumer {
  const abort = new AbortController();
  const pollers = Array.from({ length: options.concurrency ?? 1 }, () => poll(options, abort.signal));
  return {
    async stop() {
      abort.abort();
      await Promise.allSettled(pollers);
    },
  };
}

async function poll(options: ConsumerOptions, signal: AbortSignal): Promise<void> {
  const { sqs, queueUrl, logger } = options;
  while (!signal.aborted) {
    let messages: Message[] = [];
    try {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(10, options.batchSize ?? 10),
          WaitTimeSeconds: options.waitSeconds ?? 2,
          MessageSystemAttributeNames: ["All"],
          MessageAttributeNames: ["All"],
        }),
        { abortSignal: signal },
      );
      messages = out.Messages ?? [];
    } catch (error) {
      if (signal.aborted) return;
      logger.warn("receive failed; polling again shortly", { error, queueUrl });
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (messages.length === 0) continue;
    const records = messages.map((m): SQSRecord => toRecord(m, options));
    const failed = await invoke(options, records);
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      await sqs
        .send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: done.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
          }),
        )
        .catch((error: unknown) => logger.error("delete failed; the records will be redelivered", { error }));
    }
  }
}

/** Invokes the handler once; returns the ids of the records that failed. */
async function invoke(options: ConsumerOptions, records: SQSRecord[]): Promise<Set<string>> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const context = lambdaContext(options, deadline);
  const all = new Set(records.map((r) => r.messageId));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([options.handler({ Records: records }, context), timeout]);
    if (result === "timeout") {
      options.logger.error("invocation timed out; the whole batch will be redelivered", {
        functionName: options.functionName,
        timeoutMs,
      });
      return all;
    }
    return new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (error) {
    options.logger.error("invocation failed; the whole batch will be redelivered", {
      functionName: options.functionName,
      error,
    });
    return all;
  } finally {
    clearTimeout(timer);
  }
}

function toRecord(m: Message, options: ConsumerOptions): SQSRecord {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId ?? randomUUID(),
    receiptHandle: m.ReceiptHandle ?? "",
    body: m.Body ?? "",
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? "1",
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? "LOCAL",
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.MessageAttributes ?? {}).map(([k, v]) => [
        k,
        {
          dataType: v.DataType ?? "String",
          ...(v.StringValue !== undefined && { stringValue: v.StringValue }),
          ...(v.BinaryValue !== undefined && { binaryValue: Buffer.from(v.BinaryValue).toString("base64") }),
        },
      ]),
    ),
    md5OfBody: m.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: options.queueArn,
    awsRegion: options.region,
  };
}

function lambdaContext(options: ConsumerOptions, deadline: number): Context {
  const fail = () => {
    throw new Error("callback-style Lambda handlers are not supported");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: options.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${options.region}:000000000000:function:${options.functionName}`,
    memoryLimitInMB: String(options.memoryMb ?? 1024),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${options.functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}
