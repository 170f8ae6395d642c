/**
 * One Instagram account as photo-relay uses it: a Graph API client that always speaks with the
 * token in force, and the keeper of that token. A call Instagram answers with a refused token
 * records the refusal, whichever part of photo-relay made it.
 */
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { ConfigWith } from "@photo-relay/core";
import { createGraphClient, type GraphClient } from "./graph-client.ts";
import { TokenKeeper } from "./token/token-keeper.ts";
import type { TokenProblemLog } from "./token/token-problems.ts";
import { openTokenStore } from "./token/token-store.ts";

export interface InstagramAccount {
  graph: GraphClient;
  tokens: TokenKeeper;
}

/** The Instagram settings with the account they speak for: its user id and token. */
export type InstagramSettings = ConfigWith<"instagram.userId" | "instagram.accessToken">["instagram"];

export interface InstagramAccountDeps {
  /** Where a refused token is recorded, for every process that calls Instagram to hear of it. */
  problems?: TokenProblemLog;
  /** Asked once, and only when `instagram.tokenStore` is an SSM parameter (core's `createSsmClient`). */
  ssm: () => SSMClient;
  /** Per-call timeout of the Graph client, in ms. */
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

/**
 * @example
 * const { graph, tokens } = openInstagramAccount(config.instagram, { ssm: () => createSsmClient(config) });
 * const refusal = await tokens.refusal(); // a token refused earlier stops publishing here
 * await graph.getPublishingLimit();
 */
export function openInstagramAccount(
  settings: InstagramSettings,
  deps: InstagramAccountDeps,
): InstagramAccount {
  const tokens = new TokenKeeper({
    settings,
    store: openTokenStore(settings.tokenStore, deps.ssm),
    problems: deps.problems,
    ...(deps.now && { now: deps.now }),
  });
  const graph = createGraphClient({
    baseUrl: settings.graphBaseUrl,
    apiVersion: settings.apiVersion,
    userId: settings.userId,
    accessToken: () => tokens.accessToken(),
    // The refusal itself is thrown on; a log that cannot be written now is written at the next one.
    onRefused: (error, token) =>
      tokens.noteRefusal(error, token).then(
        () => undefined,
        () => undefined,
      ),
    ...(deps.timeoutMs !== undefined && { timeoutMs: deps.timeoutMs }),
    ...(deps.fetch && { fetch: deps.fetch }),
  });
  return { graph, tokens };
}
