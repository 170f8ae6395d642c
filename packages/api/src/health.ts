/**
 * The dashboard's health header in one answer: queue and dead-letter depths, photos per state,
 * the Instagram quota (used, left, when the next post can go), the token's validity and days
 * left, and each capture PC. Computed at most every {@link HEALTH_TTL_MS} per API instance (counts
 * every {@link COUNTS_TTL_MS}, the quota every 30 s), so any number of open dashboards cost the same.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describeError } from "@photo-relay/core";
import { type PublishRuntime, type TokenStatus, tokenStatus } from "@photo-relay/pipeline/api";
import type { PhotoStatus } from "@photo-relay/pipeline/photo";
import { type AgentHealth, agentHealth } from "./agent-health.ts";
import { INSTAGRAM_CHECK_TTL_MS } from "./checks.ts";
import { type QueueDepth, stageQueueDepths } from "./queue-depths.ts";
import { perRuntime } from "./ttl-cache.ts";

export const HEALTH_TTL_MS = 2000;

export interface Health {
  at: string;
  mode: "auto" | "manual";
  queues: Record<"convert" | "reel" | "mirror" | "publish", QueueDepth | { error: string }>;
  counts: Record<PhotoStatus, number>;
  instagram:
    | { quotaUsage: number; quotaTotal: number; windowHours: number; nextPostAt: string | null }
    | { error: { code: string; message: string } };
  token: TokenStatus | { error: { code: string; message: string } };
  agents: AgentHealth[];
}

/** The header for every dashboard polling this instance, recomputed at most every {@link HEALTH_TTL_MS}. */
export const health = (rt: PublishRuntime): Promise<Health> => cachedHealth(rt, undefined);
const cachedHealth = perRuntime(HEALTH_TTL_MS, (rt) => computeHealth(rt));
/** Each quota read is a Graph API call from the account's hourly budget: it is kept as long as the status check's. */
const cachedQuota = perRuntime(INSTAGRAM_CHECK_TTL_MS, (rt) => quota(rt));
/** Counting reads the whole status index: kept a little longer than the rest. */
export const COUNTS_TTL_MS = 10_000;
const cachedCounts = perRuntime(COUNTS_TTL_MS, (rt) => rt.photos.countByStatus());

async function computeHealth(rt: PublishRuntime): Promise<Health> {
  const unknownDepths = (error: unknown): Health["queues"] => {
    const failed = { error: describeError(error).message };
    return { convert: failed, reel: failed, mirror: failed, publish: failed };
  };
  const [queues, counts, instagram, agents] = await Promise.all([
    stageQueueDepths(rt.clients.sqs, rt.config).catch(unknownDepths),
    cachedCounts(rt, undefined),
    cachedQuota(rt, undefined),
    agentHealth(rt),
  ]);
  const liveError =
    "error" in instagram && instagram.error.code === "instagram_auth" ? instagram.error : undefined;
  const token = await tokenStatus(rt.tokens, rt.now(), liveError).catch((error: unknown) => ({
    error: describeError(error),
  }));
  return {
    at: rt.now().toISOString(),
    mode: rt.config.instagram.mode,
    queues,
    counts,
    instagram,
    token,
    agents,
  };
}

async function quota(rt: PublishRuntime): Promise<Health["instagram"]> {
  try {
    const limit = await rt.graph.getPublishingLimit();
    const windowMs = limit.quotaDurationSeconds * 1000;
    const nextPostAt = limit.quotaUsage < limit.quotaTotal ? null : await slotFreesAt(rt, windowMs);
    return {
      quotaUsage: limit.quotaUsage,
      quotaTotal: limit.quotaTotal,
      windowHours: windowMs / 3_600_000,
      nextPostAt,
    };
  } catch (error) {
    return { error: describeError(error) };
  }
}

/** When the oldest post in the rolling window leaves it (our own record of what we published). */
async function slotFreesAt(rt: PublishRuntime, windowMs: number): Promise<string | null> {
  const since = new Date(rt.now().getTime() - windowMs).toISOString();
  const out = await rt.clients.dynamo.send(
    new QueryCommand({
      TableName: rt.config.dynamodb.table,
      IndexName: "byStatus",
      KeyConditionExpression: "#s = :done AND updatedAt >= :since",
      ExpressionAttributeNames: { "#s": "status" },
      ExpressionAttributeValues: { ":done": "done", ":since": since },
      ProjectionExpression: "stages.publish.publishedAt",
    }),
  );
  const published = (out.Items ?? [])
    .map((i) => (i as { stages?: { publish?: { publishedAt?: string } } }).stages?.publish?.publishedAt)
    .filter((at): at is string => at !== undefined && at >= since)
    .sort();
  const oldest = published[0];
  return oldest ? new Date(Date.parse(oldest) + windowMs).toISOString() : null;
}
