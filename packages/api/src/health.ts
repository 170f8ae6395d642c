/**
 * The dashboard's health header in one answer: queue and dead-letter depths, photos per state,
 * the Instagram quota (used, left, when the next post can go), the token's validity and days
 * left, and each capture PC. Computed at most every {@link HEALTH_TTL_MS} per API instance, so any
 * number of open dashboards polling it cost the same.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { describeError } from "@photo-relay/core";
import { type PhotoStatus, type Runtime, type TokenStatus, tokenStatus } from "@photo-relay/pipeline";
import { type AgentHealth, agentHealth } from "./agent-health.ts";
import { INSTAGRAM_CHECK_TTL_MS } from "./checks.ts";
import { type QueueDepth, queueDepth } from "./queue-depths.ts";

export const HEALTH_TTL_MS = 2000;

export interface Health {
  at: string;
  mode: "auto" | "manual";
  queues: Record<"convert" | "mirror" | "publish", QueueDepth | { error: string }>;
  counts: Record<PhotoStatus, number>;
  instagram:
    | { quotaUsage: number; quotaTotal: number; windowHours: number; nextPostAt: string | null }
    | { error: { code: string; message: string } };
  token: TokenStatus | { error: { code: string; message: string } };
  agents: AgentHealth[];
}

const cache = new WeakMap<Runtime, { at: number; health: Promise<Health> }>();
/** Each quota read is a Graph API call from the account's hourly budget: it is kept longer. */
const quotaCache = new WeakMap<Runtime, { at: number; quota: Promise<Health["instagram"]> }>();

export function health(rt: Runtime): Promise<Health> {
  const cached = cache.get(rt);
  if (cached && Date.now() - cached.at < HEALTH_TTL_MS) return cached.health;
  const fresh = computeHealth(rt);
  cache.set(rt, { at: Date.now(), health: fresh });
  fresh.catch(() => cache.delete(rt));
  return fresh;
}

async function computeHealth(rt: Runtime): Promise<Health> {
  const { sqs } = rt.config;
  const depth = (url: string) =>
    queueDepth(rt.clients.sqs, url).catch((error: unknown) => ({ error: describeError(error).message }));
  const [convert, mirror, publish, counts, instagram, agents] = await Promise.all([
    depth(sqs.convertQueueUrl),
    depth(sqs.mirrorQueueUrl),
    depth(sqs.publishQueueUrl),
    rt.photos.countByStatus(),
    cachedQuota(rt),
    agentHealth(rt),
  ]);
  const liveError =
    "error" in instagram && instagram.error.code === "instagram_auth" ? instagram.error : undefined;
  const token = await tokenStatus(rt.config, rt.now(), liveError).catch((error: unknown) => ({
    error: describeError(error),
  }));
  return {
    at: rt.now().toISOString(),
    mode: rt.config.instagram.mode,
    queues: { convert, mirror, publish },
    counts,
    instagram,
    token,
    agents,
  };
}

function cachedQuota(rt: Runtime): Promise<Health["instagram"]> {
  const cached = quotaCache.get(rt);
  if (cached && Date.now() - cached.at < INSTAGRAM_CHECK_TTL_MS) return cached.quota;
  const fresh = quota(rt);
  quotaCache.set(rt, { at: Date.now(), quota: fresh });
  return fresh;
}

async function quota(rt: Runtime): Promise<Health["instagram"]> {
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
async function slotFreesAt(rt: Runtime, windowMs: number): Promise<string | null> {
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
