/**
 * What the publish stage and the API work with: the runtime plus the Instagram account (its Graph
 * client over the token in force, and that token's keeper, recording refusals in the table). The
 * refresh job works with the account alone. The SSM client for the token's parameter is made here,
 * and only when the token lives in SSM.
 */
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  type AwsClientOptions,
  type Config,
  type ConfigWith,
  createDynamoClient,
  createSsmClient,
  requireConfig,
} from "@photo-relay/core";
import { type InstagramAccount, openInstagramAccount } from "@photo-relay/instagram";
import { closeRuntime, type Runtime } from "../../runtime.ts";
import { STAGE_SETTINGS } from "../../settings.ts";
import { TokenProblemItem } from "./token-problem-item.ts";

/** What the account needs: the Instagram user and its token, and the table refusals go to. */
export const ACCOUNT_NEEDS = ["instagram.userId", "instagram.accessToken", "dynamodb.table"] as const;
type AccountConfig = ConfigWith<(typeof ACCOUNT_NEEDS)[number]>;

export interface PublishRuntime extends Runtime, InstagramAccount {
  config: Runtime["config"] & AccountConfig;
  clients: Runtime["clients"] & { ssm?: SSMClient };
}

/** The Instagram account over `dynamo` (refusals) and, made on first need, an SSM client (the token). */
function openAccount(
  config: AccountConfig,
  dynamo: DynamoDBDocumentClient,
  ssm: () => SSMClient,
  now: () => Date,
): InstagramAccount {
  return openInstagramAccount(config.instagram, {
    ssm,
    problems: new TokenProblemItem(dynamo, config.dynamodb.table),
    timeoutMs: STAGE_SETTINGS.publish.graphCallSeconds * 1000,
    now,
  });
}

export function createPublishRuntime(rt: Runtime): PublishRuntime {
  const config = requireConfig(rt.config, ACCOUNT_NEEDS);
  const clients: PublishRuntime["clients"] = { ...rt.clients };
  const ssm = () => {
    clients.ssm ??= createSsmClient(config);
    return clients.ssm;
  };
  return { ...rt, ...openAccount(config, rt.clients.dynamo, ssm, rt.now), config, clients };
}

export function closePublishRuntime(rt: PublishRuntime): void {
  rt.clients.ssm?.destroy();
  closeRuntime(rt);
}

/** The refresh job's runtime: the account alone (no bucket, no queues). */
export interface TokenRuntime extends InstagramAccount {
  config: AccountConfig;
  close(): void;
}

export function createTokenRuntime(input: Config, options: AwsClientOptions = {}): TokenRuntime {
  const config = requireConfig(input, ACCOUNT_NEEDS);
  const dynamo = createDynamoClient(config, options);
  let ssm: SSMClient | undefined;
  const openSsm = () => {
    ssm ??= createSsmClient(config, options);
    return ssm;
  };
  return {
    config,
    ...openAccount(config, dynamo, openSsm, () => new Date()),
    close: () => {
      dynamo.destroy();
      ssm?.destroy();
    },
  };
}
