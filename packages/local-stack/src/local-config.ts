/**
 * The local stack's configuration: the servers it started as defaults, which the caller's
 * settings, `PHOTO_RELAY_CONFIG` and `PHOTO_RELAY_*` replace (a real FTPS host, another Graph API,
 * AWS itself). Two defaults depend on what won:
 * - the API token is kept in `<data>/api-token` unless the configuration brings its own;
 * - refreshed Instagram tokens are kept in `<data>/instagram-token.json` only while the sandbox is
 *   the Graph API. A token configured for another Graph API is used as it is, never refreshed,
 *   unless `instagram.tokenStore` is set too (`/status` then says `refresh: "not configured"`).
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ConfigWith, loadConfig } from "@photo-relay/core";
import type { GraphSandbox } from "@photo-relay/graph-sandbox";
import { FUNCTION_NEEDS } from "@photo-relay/pipeline/settings";
import type { StageName, StageQueues } from "./resources.ts";

/** The local stack provides every resource (the API function's needs are all of them), so tests and tools need no checks. */
const LOCAL_NEEDS = FUNCTION_NEEDS.api;
export type LocalNeed = (typeof LOCAL_NEEDS)[number];

export interface LocalServers {
  dataDir: string;
  region: string;
  awsUrl: string;
  bucket: string;
  queues: Record<StageName, StageQueues>;
  dynamoUrl: string;
  table: string;
  web: { root: string; url: string };
  sandbox: GraphSandbox;
  /** The SNS topic the dead-letter alerts go to. */
  alertsTopicArn: string;
}

export interface LocalConfigOptions {
  env: NodeJS.ProcessEnv;
  apiToken?: string | undefined;
  publishMode?: "auto" | "manual" | undefined;
  settings?: Record<string, unknown> | undefined;
}

export interface LocalConfig {
  config: ConfigWith<LocalNeed>;
  /** Where the API token in force is kept, when it is the stack's own. */
  apiTokenFile?: string;
}

export function localConfig(servers: LocalServers, options: LocalConfigOptions): LocalConfig {
  const tokenFile = join(servers.dataDir, "api-token");
  const ownToken = options.apiToken ?? persistentToken(tokenFile);
  const { sandbox, queues } = servers;
  const config = loadConfig({
    env: options.env,
    needs: LOCAL_NEEDS,
    defaults: [
      {
        region: servers.region,
        s3: { bucket: servers.bucket, endpoint: servers.awsUrl, forcePathStyle: true },
        sqs: {
          endpoint: servers.awsUrl,
          convertQueueUrl: queues.convert.url,
          mirrorQueueUrl: queues.mirror.url,
          publishQueueUrl: queues.publish.url,
          reelQueueUrl: queues.reel.url,
          convertDlqUrl: queues.convert.dlq.url,
          mirrorDlqUrl: queues.mirror.dlq.url,
          publishDlqUrl: queues.publish.dlq.url,
          reelDlqUrl: queues.reel.dlq.url,
        },
        dynamodb: { endpoint: servers.dynamoUrl, table: servers.table },
        api: { token: ownToken },
        mirror: {
          targets: [
            {
              name: "web",
              transports: [{ type: "local", root: servers.web.root }],
              publicBaseUrl: servers.web.url,
            },
          ],
        },
        instagram: {
          graphBaseUrl: sandbox.url,
          userId: sandbox.account.igUserId,
          // The sandbox's well-known token never expires, so it survives restarts of the stack.
          accessToken: sandbox.defaultToken ?? sandbox.issueToken("ig_long", null),
          mode: options.publishMode ?? "auto",
        },
        alerts: { topicArn: servers.alertsTopicArn, endpoint: servers.awsUrl },
      },
      options.settings ?? {},
    ],
  });
  const { instagram } = config;
  const refreshHere = !instagram.tokenStore && instagram.graphBaseUrl === sandbox.url;
  // Refreshed sandbox tokens are kept with the data, as SSM keeps them in AWS.
  const tokenStore = { type: "file" as const, path: join(servers.dataDir, "instagram-token.json") };
  return {
    config: refreshHere ? { ...config, instagram: { ...instagram, tokenStore } } : config,
    ...(!options.apiToken && config.api.token === ownToken && { apiTokenFile: tokenFile }),
  };
}

/** A random API token, made on first start and kept with the data (readable by its owner only). */
function persistentToken(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const token = randomBytes(24).toString("base64url");
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}
