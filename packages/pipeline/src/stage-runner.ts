/**
 * One place for failures. A stage does its work and hands back the jobs to send next, or throws;
 * it never records its own failure. For each SQS record, the runner sends what the stage handed
 * on, or decides what the error means:
 *
 * | error | the photo's stage | the message |
 * | --- | --- | --- |
 * | retryable, receives left | `retrying`, with the reason | back after a growing delay (its own visibility timeout, never 0) |
 * | retryable, the queue's last receive | `failed: gave up after N attempts: <reason>` | to the dead-letter queue (back in `redelivery.baseSeconds`, then moved) |
 * | fatal | `failed`, with the reason | deleted |
 * | fatal, no photo to record it on | — | kept, so the queue dead-letters it (never dropped silently) |
 *
 * Each failure is logged once, here. Powertools' `processPartialResponse` (in `functions/`) stays
 * the batch boundary: a record whose `runRecord` throws is reported in `batchItemFailures`.
 */
import { ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import { backoffDelay, forPhoto, isRetryable, type Logger, type PhotoId } from "@photo-relay/core";
import type { Context, SQSRecord } from "aws-lambda";
import { GaveUpError, NotStartedError } from "./errors.ts";
import type { StageResult } from "./jobs/next-jobs.ts";
import type { StageName } from "./photo/photo-record.ts";
import { failStage } from "./photo/stage-transitions.ts";
import type { Runtime } from "./runtime.ts";
import { type QueueName, STAGE_SETTINGS } from "./settings.ts";

/**
 * A stage as the runner sees it. `R` is the runtime its function is built with, `S` what one
 * invocation's records share (`R` itself unless the stage opens something per batch).
 */
export interface Stage<Job, R extends Runtime = Runtime, S extends Runtime = R> {
  /** The photo's stage record its failures are recorded on. */
  readonly name: StageName;
  /**
   * The queue it consumes (retry delays, the last receive), when it is not `name`'s: the reel
   * stage reads the reel queue and records on the photo's `convert`, as a video is converted once
   * its Reel is made.
   */
  readonly queue?: QueueName;
  /** The jobs one message carries (an S3 notification may announce several objects); throws `BadMessageError`. */
  jobsOf(body: string): Job[];
  /** The photo a job is about, as far as the message says (convert learns the id from the bytes). */
  photoOf(job: Job): PhotoId | undefined;
  /**
   * What one invocation's records share, closed after the batch (mirror: one session per web host,
   * and its galleries, updated once for all `bodies`, the batch's message bodies).
   */
  openBatch(rt: R, bodies?: readonly string[]): Batch<S>;
  run(scope: S, job: Job, step: StepContext): Promise<StageResult>;
  /** Records one after another, each started only while `recordBudgetMs` are left in the invocation. */
  readonly sequential?: { recordBudgetMs(scope: S): number };
}

export interface Batch<S> {
  readonly scope: S;
  close(): Promise<void>;
}

/** For a stage whose records share nothing but the runtime. */
export const runtimeOnly = <R extends Runtime>(rt: R): Batch<R> => ({ scope: rt, close: async () => {} });

/**
 * Handed to a stage with each job: the photo the work is about, a logger that names it, and the
 * time left in the invocation (unbounded outside one, e.g. when a test runs a step directly).
 */
export class StepContext {
  readonly #logger: Logger;
  #photoId: PhotoId | undefined;
  #log: Logger;
  /** Milliseconds left before the invocation times out. */
  readonly remainingMs: () => number;

  constructor(
    logger: Logger,
    photoId: PhotoId | undefined,
    remainingMs: () => number = () => Number.POSITIVE_INFINITY,
  ) {
    this.#logger = logger;
    this.#photoId = photoId;
    this.#log = photoId ? forPhoto(logger, photoId) : logger;
    this.remainingMs = remainingMs;
  }

  get photoId(): PhotoId | undefined {
    return this.#photoId;
  }

  get log(): Logger {
    return this.#log;
  }

  /** The work turned out to be about this photo (convert, once it hashed the original). */
  about(id: PhotoId): void {
    this.#photoId = id;
    this.#log = forPhoto(this.#logger, id);
  }
}

/** Runs `stage` over one SQS record; throws exactly when the message must come back (or be dead-lettered). */
export async function runRecord<Job, R extends Runtime, S extends Runtime>(
  stage: Stage<Job, R, S>,
  scope: S,
  record: SQSRecord,
  context: Pick<Context, "getRemainingTimeInMillis">,
): Promise<void> {
  const queue = stage.queue ?? stage.name;
  if (stage.sequential) {
    const left = context.getRemainingTimeInMillis();
    if (left < stage.sequential.recordBudgetMs(scope)) {
      const delay = scope.config.redelivery.baseSeconds;
      await delayRedelivery(scope, queue, record, delay, scope.logger);
      scope.logger.info(`${queue}: too little time left to start a record; back in ${delay} s`);
      throw new NotStartedError(left);
    }
  }
  let jobs: Job[];
  try {
    jobs = stage.jobsOf(record.body);
  } catch (error) {
    return settle(
      scope,
      { stage: stage.name, queue },
      record,
      new StepContext(scope.logger, undefined),
      error,
    );
  }
  for (const job of jobs) {
    const step = new StepContext(scope.logger, stage.photoOf(job), () => context.getRemainingTimeInMillis());
    try {
      const { next } = await stage.run(scope, job, step);
      // At once: the next stages are independent (convert hands mirror and publish their jobs).
      await Promise.all(next.map((nextJob) => scope.queues.send(nextJob)));
    } catch (error) {
      await settle(scope, { stage: stage.name, queue }, record, step, error);
    }
  }
}

/** Records what `error` means for the photo; returns when the message is done with, throws when it must stay. */
async function settle(
  rt: Runtime,
  { stage, queue }: { stage: StageName; queue: QueueName },
  record: SQSRecord,
  step: StepContext,
  error: unknown,
): Promise<void> {
  const receives = Number(record.attributes.ApproximateReceiveCount ?? "1");
  const { log, photoId } = step;
  const recordOnPhoto = async (reason: unknown) =>
    photoId !== undefined &&
    (await rt.photos.updateIfExists(photoId, failStage(stage, reason, rt.now()))) !== undefined;

  if (!isRetryable(error)) {
    if (await recordOnPhoto(error)) {
      log.error(`${queue} failed`, { error });
      return;
    }
    log.error(`${queue}: failed, and no photo to record it on; the queue will dead-letter the message`, {
      error,
    });
    throw error;
  }
  if (receives >= STAGE_SETTINGS[queue].maxReceives) {
    await recordOnPhoto(new GaveUpError(receives, error));
    // Back soon rather than after the queue's visibility timeout: its next receive moves it to the
    // dead-letter queue, whose subscriber marks the photo and alerts.
    await delayRedelivery(rt, queue, record, rt.config.redelivery.baseSeconds, log);
    log.error(`${queue}: last attempt failed; the message goes to the dead-letter queue`, { error });
    throw error;
  }
  await recordOnPhoto(error);
  const { baseSeconds, maxSeconds } = rt.config.redelivery;
  const delay = Math.round(
    backoffDelay(receives, { baseMs: baseSeconds * 1000, maxMs: maxSeconds * 1000 }) / 1000,
  );
  await delayRedelivery(rt, queue, record, delay, log);
  log.warn(`${queue} failed; retrying in ${delay} s (attempt ${receives})`, { error });
  throw error;
}

/**
 * Makes the record's own message visible again after `seconds`, as a Lambda handler may do. Never
 * 0: the local emulator loses a message on `ChangeMessageVisibility(0)` (docs/local-emulators.md).
 */
async function delayRedelivery(
  rt: Runtime,
  queue: QueueName,
  record: SQSRecord,
  seconds: number,
  log: Logger,
): Promise<void> {
  await rt.clients.sqs
    .send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: rt.queues.urlOf(queue),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.max(1, seconds),
      }),
    )
    .catch((error: unknown) =>
      log.warn("could not delay the retry; the queue's visibility timeout applies", { error }),
    );
}
