/**
 * The rolling publishing quota (`content_publishing_limit`): read live before a container is made
 * and before `media_publish`, so a burst waits its turn instead of running into a spent quota, and
 * a spent quota defers the photo — it never fails it.
 */
import type { Config } from "@photo-relay/core";
import type { GraphClient } from "./graph-client.ts";

/** SQS caps a message delay at 15 minutes; a longer wait is several deferrals. */
const MAX_DELAY_SECONDS = 900;

export type QuotaGate =
  | { open: true; quotaUsage: number; quotaTotal: number }
  | { open: false; quotaUsage: number; quotaTotal: number; deferSeconds: number };

type QuotaSettings = Pick<Config["instagram"], "quotaDeferSeconds">;

/**
 * Whether one more post fits into the rolling window right now. When it does not, `deferSeconds`
 * says when to look again (see {@link quotaDeferSeconds}).
 */
export async function readQuotaGate(
  graph: Pick<GraphClient, "getPublishingLimit">,
  settings: QuotaSettings,
  random: () => number = Math.random,
): Promise<QuotaGate> {
  const { quotaUsage, quotaTotal } = await graph.getPublishingLimit();
  if (quotaUsage < quotaTotal) return { open: true, quotaUsage, quotaTotal };
  return { open: false, quotaUsage, quotaTotal, deferSeconds: quotaDeferSeconds(settings, random) };
}

/**
 * The delay before a deferred photo asks again: a random point between half the configured
 * `quotaDeferSeconds` and all of it. The spread matters for a burst: a hundred deferred photos come
 * back one by one over the interval rather than all in the same second, when only a few posts have
 * been freed.
 * @example quotaDeferSeconds({ quotaDeferSeconds: 900 }, () => 0) // 450
 */
export function quotaDeferSeconds(settings: QuotaSettings, random: () => number = Math.random): number {
  const max = Math.min(MAX_DELAY_SECONDS, settings.quotaDeferSeconds);
  return Math.max(1, Math.round(max / 2 + (random() * max) / 2));
}
