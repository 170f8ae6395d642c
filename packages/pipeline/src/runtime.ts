/**
 * Everything a stage needs, built once per process from the configuration. Tests and the local
 * stack build it with their own endpoints; Lambda builds it from SST's linked resources.
 */
import {
  type AwsClients,
  type Config,
  createAwsClients,
  createLogger,
  destroyAwsClients,
  type Logger,
} from "@photo-relay/core";
import { createGraphClient } from "@photo-relay/instagram";
import type { GraphPort } from "./graph.ts";
import { type MirrorSessions, sessionPerCall } from "./invocation.ts";
import { PhotoStore } from "./photo-store.ts";
import { Queues } from "./queues.ts";
import { createTokenGraph } from "./token.ts";

export interface Runtime {
  config: Config;
  clients: AwsClients;
  photos: PhotoStore;
  queues: Queues;
  graph: GraphPort;
  mirrorSessions: MirrorSessions;
  logger: Logger;
  now: () => Date;
}

export interface RuntimeOverrides {
  logger?: Logger;
  now?: () => Date;
  graph?: GraphPort;
}

export function createRuntime(config: Config, overrides: RuntimeOverrides = {}): Runtime {
  const clients = createAwsClients(config);
  const now = overrides.now ?? (() => new Date());
  const { graphBaseUrl, apiVersion, userId, accessToken } = config.instagram;
  const logger = overrides.logger ?? createLogger("pipeline");
  return {
    config,
    clients,
    photos: new PhotoStore(clients.dynamo, config.dynamodb.table, now),
    queues: new Queues(clients.sqs, config.sqs),
    // With a token store, every call uses the token in force (the refresh job replaces it).
    graph:
      overrides.graph ??
      (config.instagram.tokenStore
        ? createTokenGraph(config)
        : createGraphClient({ baseUrl: graphBaseUrl, apiVersion, userId, accessToken })),
    mirrorSessions: sessionPerCall({ logger, clients }),
    logger,
    now,
  };
}

export function closeRuntime(rt: Runtime): void {
  destroyAwsClients(rt.clients);
}
