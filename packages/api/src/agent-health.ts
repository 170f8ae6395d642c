/**
 * The capture PCs as the dashboard shows them: each agent's latest heartbeat
 * (`agents/<agentId>/heartbeat.json`, written by the agent under its own S3 prefix, so it needs no
 * credentials beyond S3), and whether it is overdue. An agent counts as offline when it said so,
 * or when no heartbeat came for {@link OVERDUE_INTERVALS} of its own intervals.
 */
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { AGENTS_PREFIX, type Heartbeat, heartbeatKey, heartbeatSchema } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";

export const OVERDUE_INTERVALS = 3;

export interface AgentHealth {
  agentId: string;
  online: boolean;
  /** Why it counts as offline: it reported so, or its heartbeat is overdue. */
  reason?: "reported_offline" | "overdue";
  heartbeat?: Heartbeat;
  /** A heartbeat object that did not match the contract (a newer or broken agent). */
  problem?: string;
}

export async function agentHealth(rt: PublishRuntime): Promise<AgentHealth[]> {
  const Bucket = rt.config.s3.bucket;
  const ids: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await rt.clients.s3.send(
      new ListObjectsV2Command({ Bucket, Prefix: AGENTS_PREFIX, Delimiter: "/", ContinuationToken }),
    );
    for (const p of page.CommonPrefixes ?? []) {
      const id = p.Prefix?.slice(AGENTS_PREFIX.length, -1);
      if (id) ids.push(id);
    }
    ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (ContinuationToken);
  const now = rt.now().getTime();
  return Promise.all(ids.sort().map((id) => readAgent(rt, id, now)));
}

async function readAgent(rt: PublishRuntime, agentId: string, now: number): Promise<AgentHealth> {
  let text: string;
  try {
    const got = await rt.clients.s3.send(
      new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: heartbeatKey(agentId) }),
    );
    text = (await got.Body?.transformToString()) ?? "";
  } catch {
    return { agentId, online: false, problem: "no heartbeat yet" };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { agentId, online: false, problem: "the heartbeat is not JSON" };
  }
  const parsed = heartbeatSchema.safeParse(json);
  if (!parsed.success)
    return { agentId, online: false, problem: "the heartbeat does not match the contract" };
  const heartbeat = parsed.data;
  const overdue = now - Date.parse(heartbeat.at) > OVERDUE_INTERVALS * heartbeat.intervalSeconds * 1000;
  if (overdue) return { agentId, online: false, reason: "overdue", heartbeat };
  if (!heartbeat.online) return { agentId, online: false, reason: "reported_offline", heartbeat };
  return { agentId, online: true, heartbeat };
}
