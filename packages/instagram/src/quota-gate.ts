/**
 * The rolling publishing quota (`content_publishing_limit`): read live before a container is made
 * and before `media_publish`, so a burst waits its turn instead of running into a spent quota, and
 * a spent quota defers the photo — it never fails it.
 */
import type { Config } from "@photo-relay/core";
import type { GraphClient } from "./graph-client.ts";

/** SQS caps a message delay at 15 minutes; a longer wait is several deferrals. */
const MAX_DELAY_SECONDS = 900;

export interface QuotaGate {
  quotaUsage: number;
  quotaTotal: number;
  /** Posts that still fit into the rolling window right now (0 when the quota is spent). */
  free: number;
}

type QuotaSettings = Pick<Config["instagram"], "quotaDeferSeconds">;

/** How many more posts fit into the rolling window right now. */
export async function readQuotaGate(graph: Pick<GraphClient, "getPublishingLimit">): Promise<QuotaGate> {
  const { quotaUsage, quotaTotal } = await graph.getPublishingLimit();
  return { quotaUsage, quotaTotal, free: Math.max(0, quotaTotal - quotaUsage) };
}

/**
 * The delay before a photo waiting for the quota looks again, from its place in the quota's line
 * (`ahead`: the photos waiting before it): the first looks after half of `quotaDeferSeconds`, the
 * ones behind it later the further back they stand, up to all of it. Meta's answer does not say
 * when the window frees, so the head of the line keeps looking; the spread keeps a long line from
 * looking all in the same second, and the order of looks follows the line.
 * @example quotaDeferSeconds({ quotaDeferSeconds: 900 }, 0) // 450
 */
export function quotaDeferSeconds(settings: QuotaSettings, ahead: number): number {
  const max = Math.min(MAX_DELAY_SECONDS, settings.quotaDeferSeconds);
  return Math.max(1, Math.round(max / 2 + ((max / 2) * ahead) / (ahead + 1)));
}

/** The longest a step can wait in one hop: `quotaDeferSeconds`, within SQS's cap. */
export function maxDeferSeconds(settings: QuotaSettings): number {
  return Math.min(MAX_DELAY_SECONDS, settings.quotaDeferSeconds);
}
