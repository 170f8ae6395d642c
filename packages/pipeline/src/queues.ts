/** Sending jobs between stages. */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "@photo-relay/core";
import type { MirrorJob, PublishJob } from "./messages.ts";

/** SQS caps a message delay at 15 minutes. */
const MAX_DELAY_SECONDS = 900;

export class Queues {
  readonly #sqs: SQSClient;
  readonly #urls: Config["sqs"];

  constructor(sqs: SQSClient, urls: Config["sqs"]) {
    this.#sqs = sqs;
    this.#urls = urls;
  }

  mirror(job: MirrorJob): Promise<void> {
    return this.#send(this.#urls.mirrorQueueUrl, job, 0);
  }

  publish(job: PublishJob, delaySeconds = 0): Promise<void> {
    return this.#send(this.#urls.publishQueueUrl, job, delaySeconds);
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
