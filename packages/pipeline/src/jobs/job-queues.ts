/** Sending jobs between stages. */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "@photo-relay/core";
import type { MirrorJob, PublishJob } from "./job-schemas.ts";
import type { NextJob } from "./next-jobs.ts";

/** SQS caps a message delay at 15 minutes. */
const MAX_DELAY_SECONDS = 900;

export class JobQueues {
  readonly #sqs: SQSClient;
  readonly #urls: Config["sqs"];

  constructor(sqs: SQSClient, urls: Config["sqs"]) {
    this.#sqs = sqs;
    this.#urls = urls;
  }

  mirror(job: MirrorJob, delaySeconds = 0): Promise<void> {
    return this.#send(this.#urls.mirrorQueueUrl, job, delaySeconds);
  }

  publish(job: PublishJob, delaySeconds = 0): Promise<void> {
    return this.#send(this.#urls.publishQueueUrl, job, delaySeconds);
  }

  /** Sends a job a stage handed on (see `StageResult`). */
  send(next: NextJob): Promise<void> {
    return next.queue === "mirror"
      ? this.mirror(next.job, next.delaySeconds)
      : this.publish(next.job, next.delaySeconds);
  }

  /** The queue a stage reads from: its own messages' visibility is changed there. */
  urlOf(stage: "convert" | "mirror" | "publish"): string {
    const { convertQueueUrl, mirrorQueueUrl, publishQueueUrl } = this.#urls;
    return { convert: convertQueueUrl, mirror: mirrorQueueUrl, publish: publishQueueUrl }[stage];
  }

  async #send(url: string, body: object, delaySeconds: number): Promise<void> {
    await this.#sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: JSON.stringify(body),
        DelaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.round(delaySeconds))),
      }),
    );
  }
}
