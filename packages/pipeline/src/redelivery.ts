/**
 * What happens to a record that failed with a retryable error. It comes back after a growing
 * delay (its visibility timeout is raised, as a Lambda handler may do for its own message) until
 * the queue's last receive; then the stage is marked failed with the reason and the message moves
 * to the dead-letter queue, so the photo shows "<stage> failed: <reason>" and can be re-driven
 * with `POST /photos/:id/retry`. Nothing is silently dropped.
 */
import { ChangeMessageVisibilityCommand } from "@aws-sdk/client-sqs";
import { backoffDelay, forPhoto, isRetryable, type PhotoId, RetryableError } from "@photo-relay/core";
import type { SQSRecord } from "aws-lambda";
import type { StageName } from "./photo.ts";
import type { Runtime } from "./runtime.ts";
import { failStage } from "./stage.ts";
import { STAGE_SETTINGS } from "./stages.ts";

export async function handleFailure(
  rt: Runtime,
  stage: StageName,
  record: SQSRecord,
  photoId: PhotoId | undefined,
  error: unknown,
): Promise<never> {
  if (!isRetryable(error)) throw error;
  const receives = Number(record.attributes.ApproximateReceiveCount ?? "1");
  const log = photoId ? forPhoto(rt.logger, photoId) : rt.logger;
  if (receives >= STAGE_SETTINGS[stage].maxReceives) {
    const final = new RetryableError(
      "gave_up",
      `gave up after ${receives} attempts: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (photoId && (await rt.photos.get(photoId)))
      await rt.photos.update(photoId, failStage(stage, final, rt.now(), true));
    log.error(`${stage}: last attempt failed; the message goes to the dead-letter queue`, { error });
    throw error;
  }
  const { baseSeconds, maxSeconds } = rt.config.redelivery;
  const delay = Math.round(
    backoffDelay(receives, { baseMs: baseSeconds * 1000, maxMs: maxSeconds * 1000 }) / 1000,
  );
  await rt.clients.sqs
    .send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl(rt, stage),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.max(1, delay),
      }),
    )
    .catch((e: unknown) =>
      log.warn("could not delay the retry; the queue's visibility timeout applies", { error: e }),
    );
  log.warn(`${stage} failed; retrying in ${delay} s (attempt ${receives})`, { error });
  throw error;
}

function queueUrl(rt: Runtime, stage: StageName): string {
  const { convertQueueUrl, mirrorQueueUrl, publishQueueUrl } = rt.config.sqs;
  return { convert: convertQueueUrl, mirror: mirrorQueueUrl, publish: publishQueueUrl }[stage];
}
