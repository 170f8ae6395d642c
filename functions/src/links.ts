/**
 * What each SST link a function may read (`Resource.<Name>`, see `infra/links.ts` and
 * `infra/access.ts`) sets in the configuration. A plain table, read by the Lambda runtime here, by
 * the local stack (which hands the bundles the same links, as `SST_RESOURCE_<Name>`) and by the
 * synthesis check (each function is linked to exactly what its configuration needs).
 */
import type { ConfigNeed } from "@photo-relay/core";

/** Link name → the link's property and the configuration field it fills. */
export const LINKED_FIELDS = {
  Media: { property: "name", path: "s3.bucket" },
  Photos: { property: "name", path: "dynamodb.table" },
  ConvertQueue: { property: "url", path: "sqs.convertQueueUrl" },
  MirrorQueue: { property: "url", path: "sqs.mirrorQueueUrl" },
  PublishQueue: { property: "url", path: "sqs.publishQueueUrl" },
  ReelQueue: { property: "url", path: "sqs.reelQueueUrl" },
  ConvertDlq: { property: "url", path: "sqs.convertDlqUrl" },
  MirrorDlq: { property: "url", path: "sqs.mirrorDlqUrl" },
  PublishDlq: { property: "url", path: "sqs.publishDlqUrl" },
  ReelDlq: { property: "url", path: "sqs.reelDlqUrl" },
  ApiToken: { property: "value", path: "api.token" },
  InstagramToken: { property: "value", path: "instagram.accessToken" },
  Alerts: { property: "arn", path: "alerts.topicArn" },
  AlertWebhookUrl: { property: "value", path: "alerts.webhookUrl" },
} as const satisfies Record<string, { property: string; path: `${string}.${string}` }>;

export type LinkName = keyof typeof LINKED_FIELDS;

/**
 * The links that provide the configuration fields `paths` (one not listed here comes from the
 * environment, e.g. `instagram.userId`).
 */
export function linksFor(paths: readonly (ConfigNeed | string)[]): LinkName[] {
  return (Object.keys(LINKED_FIELDS) as LinkName[]).filter((name) =>
    paths.includes(LINKED_FIELDS[name].path),
  );
}
