/**
 * Each function's rights, in one place: what it may read through `Resource.<Name>` (links carry
 * values only, see `infra/links.ts`) and the IAM actions on which resources it may call. Every
 * function also gets CloudWatch Logs (SST attaches AWSLambdaBasicExecutionRole). Nothing here is a
 * wildcard action; prefixes narrow the bucket to what each stage touches.
 */
import { alerts, alertsLink } from "./alerts.ts";
import type { FunctionKey } from "./functions.ts";
import {
  convertDlq,
  convertQueue,
  media,
  mirrorDlq,
  mirrorQueue,
  publishDlq,
  publishQueue,
  reelDlq,
  reelQueue,
  table,
} from "./links.ts";
import { convert, mirror, publish, reel, stageQueues } from "./queues.ts";
import {
  alertWebhookUrl,
  apiToken,
  instagramToken,
  mirrorSecrets,
  settings,
  tokenParameter,
} from "./secrets.ts";
import { PHOTOS_TABLE } from "./stage-settings.ts";
import { bucket } from "./storage.ts";
import { photos } from "./table.ts";

type Right = {
  actions: string[];
  resources: $util.Input<string>[];
  conditions?: { test: string; variable: string; values: string[] }[];
};

const allow = (actions: string[], ...resources: $util.Input<string>[]): Right => ({ actions, resources });
const objects = (prefix: string) => $interpolate`${bucket.arn}/${prefix}*`;
/** What Lambda's event source mapping and our delayed retries (ChangeMessageVisibility) need. */
const consume = (...queues: { arn: $util.Output<string> }[]) =>
  allow(
    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
    ...queues.map((q) => q.arn),
  );
/** Only the items under these keys of the Photos table. */
const onlyKeys = (...keys: string[]) => [
  { test: "ForAllValues:StringEquals", variable: "dynamodb:LeadingKeys", values: keys },
];
/**
 * Read-modify-write of one photo item, guarded by its version (PhotoStore); also the token's
 * problem item. A status change moves the photo in the counts item in the same transaction
 * (TransactWriteItems is authorised as its parts: this PutItem and that UpdateItem).
 */
const photoItems: Right[] = [
  allow(["dynamodb:GetItem", "dynamodb:PutItem"], photos.arn),
  { ...allow(["dynamodb:UpdateItem"], photos.arn), conditions: onlyKeys(PHOTOS_TABLE.countsKey) },
];

/**
 * Each function's links are what its configuration needs (`FUNCTION_NEEDS` in
 * `packages/pipeline/src/function-needs.ts`; the synthesis check holds them to it): names, URLs and
 * secrets, no grant.
 */
export const ACCESS: Record<FunctionKey, { links: unknown[]; rights: Right[] }> = {
  api: {
    links: [
      media,
      table,
      convertQueue,
      mirrorQueue,
      publishQueue,
      convertDlq,
      mirrorDlq,
      publishDlq,
      reelQueue,
      reelDlq,
      apiToken,
      instagramToken,
    ],
    rights: [
      allow(["s3:PutObject"], objects("originals/")), // presigned POSTs for phones
      allow(["s3:GetObject"], objects("renditions/")), // presigned thumbnail URLs
      allow(["s3:ListBucket"], bucket.arn), // HeadBucket in the /status check
      ...photoItems,
      allow(["dynamodb:DescribeTable"], photos.arn),
      allow(["dynamodb:Scan"], photos.arn), // counting a table from before the counts item, once
      allow(["dynamodb:Query"], $interpolate`${photos.arn}/index/*`), // lists and counts per status
      allow(["sqs:SendMessage"], convert.queue.arn, mirror.queue.arn, publish.queue.arn), // retry, publish now (a video's retry starts at convert)
      allow(["sqs:GetQueueAttributes"], ...stageQueues.flatMap((q) => [q.queue.arn, q.dlq.arn])), // depths
      allow(["ssm:GetParameter"], tokenParameter.arn), // the token's validity in /status
    ],
  },
  convert: {
    links: [media, table, convertQueue, mirrorQueue, publishQueue, reelQueue],
    rights: [
      consume(convert.queue),
      allow(["s3:GetObject"], objects("originals/"), objects("agents/*/rejected/")), // originals; the agents' rejection reports
      allow(["s3:PutObject"], objects("renditions/"), objects("quarantine/")), // renditions; a forged upload's bytes (a copy)
      allow(["s3:DeleteObject"], objects("originals/")), // a forged upload leaves originals/ once quarantined
      ...photoItems,
      allow(["sqs:SendMessage"], mirror.queue.arn, publish.queue.arn, reel.queue.arn), // a video goes to reel
    ],
  },
  reel: {
    links: [media, table, reelQueue, mirrorQueue, publishQueue],
    rights: [
      consume(reel.queue),
      allow(["s3:GetObject"], objects("originals/")), // HeadObject (the disk budget) and GetObject
      // The Reel and its cover; a failed multipart upload of the Reel is aborted, not left behind.
      allow(["s3:PutObject", "s3:AbortMultipartUpload"], objects("renditions/")),
      ...photoItems,
      allow(["sqs:SendMessage"], mirror.queue.arn, publish.queue.arn),
    ],
  },
  mirror: {
    links: [media, table, mirrorQueue, publishQueue, ...mirrorSecrets],
    rights: [
      consume(mirror.queue),
      // The renditions it copies; the original too when `mirror.renditions` names it.
      allow(
        ["s3:GetObject"],
        objects("renditions/"),
        ...(settings.mirrorsOriginals ? [objects("originals/")] : []),
      ),
      ...photoItems,
      // With `instagram.imageSource: "mirror"`, publishing starts once the photo is on the web host.
      allow(["sqs:SendMessage"], publish.queue.arn),
      // Mirror targets of type `s3` (another bucket): put, check the size, remove a failed upload.
      ...settings.mirrorBuckets.map(({ bucket: name, prefix }) =>
        allow(["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], `arn:aws:s3:::${name}/${prefix}*`),
      ),
    ],
  },
  publish: {
    links: [media, table, publishQueue, instagramToken],
    rights: [
      consume(publish.queue),
      // Presigned URLs Meta downloads (renditions; a Reel is its original video) and the captions.
      allow(["s3:GetObject"], objects("renditions/"), objects("originals/"), objects("sidecars/")),
      ...photoItems,
      allow(["sqs:SendMessage"], publish.queue.arn), // the next step, after a delay
      allow(["ssm:GetParameter"], tokenParameter.arn),
    ],
  },
  tokenRefresh: {
    links: [table, instagramToken],
    rights: [
      allow(["ssm:GetParameter", "ssm:PutParameter"], tokenParameter.arn),
      // The token's problem item and nothing else of the table.
      {
        ...allow(["dynamodb:GetItem", "dynamodb:PutItem"], photos.arn),
        conditions: onlyKeys(PHOTOS_TABLE.tokenProblemKey),
      },
    ],
  },
  deadLetter: {
    links: [table, convertDlq, mirrorDlq, publishDlq, reelDlq, alertsLink, alertWebhookUrl],
    rights: [
      consume(convert.dlq, mirror.dlq, publish.dlq, reel.dlq),
      ...photoItems,
      allow(["sns:Publish"], alerts.arn),
    ],
  },
};
