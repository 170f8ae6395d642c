/** Sending jobs between stages. */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { type Config, requireConfig } from "@photo-relay/core";
import type { QueueName } from "../settings.ts";
import type { MirrorJob, PublishJob, ReelJob } from "./job-schemas.ts";
import type { NextJob } from "./next-jobs.ts";

/** SQS caps a message delay at 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/**
 * The stage queues, by the URLs the configuration names. A function is linked only to the queues
 * it sends to (and its own); sending anywhere else is a `ConfigError` naming the missing URL.
 */
export class JobQueues {
  readonly #sqs: SQSClient;
  readonly #config: Pick<Config, "sqs">;

  constructor(sqs: SQSClient, config: Pick<Config, "sqs">) {
    this.#sqs = sqs;
    this.#config = config;
  }

  mirror(job: MirrorJob, delaySeconds = 0): Promise<void> {
    return this.#send(this.urlOf("mirror"), job, delaySeconds);
  }

  publish(job: PublishJob, delaySeconds = 0): Promise<void> {
    return this.#send(this.urlOf("publish"), job, delaySeconds);
  }

  reel(job: ReelJob): Promise<void> {
    return this.#send(this.urlOf("reel"), job, 0);
  }

  /** Sends a job a stage handed on (see `StageResult`). */
  send(next: NextJob): Promise<void> {
    switch (next.queue) {
      case "mirror":
        return this.mirror(next.job, next.delaySeconds);
      case "publish":
        return this.publish(next.job, next.delaySeconds);
      case "reel":
        return this.reel(next.job);
    }
  }

  /** The queue a stage reads from (its own messages' visibility is changed there), and is sent to. */
  urlOf(stage: QueueName): string {
    const need = `sqs.${stage}QueueUrl` as const;
    return requireConfig(this.#config, [need]).sqs[`${stage}QueueUrl`];
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
