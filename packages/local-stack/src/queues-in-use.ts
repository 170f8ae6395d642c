/**
 * The queues the local stack's consumers read: each stage's queue and dead-letter queue as the
 * configuration names them (the local ones unless it names others), with loopback URLs.
 */
import type { ConfigWith } from "@photo-relay/core";
import type { LocalNeed } from "./local-config.ts";
import { LOCAL_REGION, type QueueRef, type StageName, type StageQueues } from "./resources.ts";

/** The ARN of the queue at `url`: the local queue's, or one in AWS's form for a configured queue. */
function queueArnOf(url: string, local: QueueRef): string {
  if (url === local.url) return local.arn;
  const [account = "", name = ""] = new URL(url).pathname.split("/").filter(Boolean);
  const region = /^sqs\.([a-z0-9-]+)\./.exec(new URL(url).hostname)?.[1] ?? LOCAL_REGION;
  return `arn:aws:sqs:${region}:${account}:${name}`;
}

/** Each stage's queue and dead-letter queue as the configuration names them. */
export function queuesInUse(
  config: ConfigWith<LocalNeed>,
  local: Record<StageName, StageQueues>,
): Record<StageName, StageQueues> {
  const inUse = (stage: StageName): StageQueues => {
    const url = config.sqs[`${stage}QueueUrl`];
    const dlq = config.sqs[`${stage}DlqUrl`];
    return {
      url,
      arn: queueArnOf(url, local[stage]),
      dlq: { url: dlq, arn: queueArnOf(dlq, local[stage].dlq) },
    };
  };
  return {
    convert: inUse("convert"),
    mirror: inUse("mirror"),
    publish: inUse("publish"),
    reel: inUse("reel"),
  };
}

/** Queue URLs on 127.0.0.1 rather than the emulator's `sqs.<region>.localhost` host name. */
export function withLoopbackUrls(
  queues: Record<StageName, StageQueues>,
  awsUrl: string,
): Record<StageName, StageQueues> {
  const loopback = (q: QueueRef): QueueRef => ({ ...q, url: `${awsUrl}${new URL(q.url).pathname}` });
  return Object.fromEntries(
    Object.entries(queues).map(([stage, q]) => [stage, { ...loopback(q), dlq: loopback(q.dlq) }]),
  ) as Record<StageName, StageQueues>;
}
