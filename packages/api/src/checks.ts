/**
 * The status endpoint's configuration check: can we actually reach what the configuration points
 * at? Each check answers `ok` or a secret-free reason. The Instagram check spends a Graph API call
 * from the account's hourly budget, and the dashboard polls `/status`, so its answer is kept for
 * {@link INSTAGRAM_CHECK_TTL_MS}.
 */
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { describeError } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";

export type Check = { ok: true; detail?: string } | { ok: false; error: { code: string; message: string } };

export const INSTAGRAM_CHECK_TTL_MS = 30_000;

const instagramChecks = new WeakMap<PublishRuntime, { at: number; check: Promise<Check> }>();

function instagramCheck(rt: PublishRuntime): Promise<Check> {
  const cached = instagramChecks.get(rt);
  if (cached && Date.now() - cached.at < INSTAGRAM_CHECK_TTL_MS) return cached.check;
  const result = check(async () => {
    const limit = await rt.graph.getPublishingLimit();
    return `${limit.quotaUsage}/${limit.quotaTotal} posts used in the last ${limit.quotaDurationSeconds / 3600} h`;
  });
  instagramChecks.set(rt, { at: Date.now(), check: result });
  return result;
}

export async function runChecks(rt: PublishRuntime): Promise<Record<"s3" | "dynamodb" | "instagram", Check>> {
  const [s3, dynamodb, instagram] = await Promise.all([
    check(() =>
      rt.clients.s3.send(new HeadBucketCommand({ Bucket: rt.config.s3.bucket })).then(() => undefined),
    ),
    check(async () => {
      const out = await rt.clients.dynamo.send(
        new DescribeTableCommand({ TableName: rt.config.dynamodb.table }),
      );
      return out.Table?.TableStatus;
    }),
    instagramCheck(rt),
  ]);
  return { s3, dynamodb, instagram };
}

async function check(probe: () => Promise<string | undefined>): Promise<Check> {
  try {
    const detail = await probe();
    return detail ? { ok: true, detail } : { ok: true };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}
