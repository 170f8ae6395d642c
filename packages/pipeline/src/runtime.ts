/**
 * What every stage and operation works with, built once per process from the configuration: the
 * configuration itself, the AWS clients, the photo and burst stores, the job queues, the logger and the
 * clock. Stage-specific parts (publish's Instagram account, mirror's web-host sessions) are built
 * in their stage's own module, so a function bundles only what its stage needs. Tests and the
 * local stack build it with their own endpoints; Lambda builds it from SST's linked resources.
 */
import {
  type AwsClientOptions,
  type AwsClients,
  type Config,
  type ConfigWith,
  createAwsClients,
  createLogger,
  destroyAwsClients,
  type Logger,
  requireConfig,
} from "@photo-relay/core";
import { BurstStore } from "./bursts/burst-store.ts";
import { JobQueues } from "./jobs/job-queues.ts";
import { PhotoStore } from "./photo/photo-store.ts";

/** What every stage reads: the bucket and the table (the queues each names where it sends). */
export type PipelineConfig = ConfigWith<"s3.bucket" | "dynamodb.table">;

export interface Runtime {
  config: PipelineConfig;
  clients: AwsClients;
  photos: PhotoStore;
  bursts: BurstStore;
  queues: JobQueues;
  logger: Logger;
  now: () => Date;
}

export interface RuntimeOptions extends AwsClientOptions {
  logger?: Logger;
  now?: () => Date;
}

export function createRuntime(input: Config, options: RuntimeOptions = {}): Runtime {
  const config = requireConfig(input, ["s3.bucket", "dynamodb.table"]);
  const clients = createAwsClients(config, options);
  const now = options.now ?? (() => new Date());
  return {
    config,
    clients,
    photos: new PhotoStore(clients.dynamo, config.dynamodb.table, now),
    bursts: new BurstStore({ db: clients.dynamo, table: config.dynamodb.table }, now),
    queues: new JobQueues(clients.sqs, config),
    logger: options.logger ?? createLogger("pipeline"),
    now,
  };
}

export function closeRuntime(rt: Runtime): void {
  destroyAwsClients(rt.clients);
}
