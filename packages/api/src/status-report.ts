/**
 * `GET /status`: the configuration checks (can we reach S3, DynamoDB, the Graph API), the token's
 * state, photos per state, dead-lettered photos and every stage's queue depths. Its figures cost a
 * dozen calls to S3, SQS and DynamoDB, so one computation per API instance is shared by every
 * caller (see {@link SharedAnswer}): the answer says when its figures were read (`at`) and how old
 * they may be (`maxAgeSeconds`, the `api.statusMaxAgeSeconds` setting).
 */
import { redactConfig } from "@photo-relay/core";
import { type PublishRuntime, tokenStatus } from "@photo-relay/pipeline/api";
import { runChecks } from "./checks.ts";
import { stageQueueDepths } from "./queue-depths.ts";
import { jsonOf, SharedAnswer } from "./shared-answer.ts";

const REFRESH_AFTER_MS = 1000;
const answers = new WeakMap<PublishRuntime, SharedAnswer<Awaited<ReturnType<typeof computeStatus>>>>();

/** The status for every caller of this instance, as JSON text, its figures read at most `api.statusMaxAgeSeconds` ago. */
export async function statusJson(rt: PublishRuntime): Promise<string> {
  let shared = answers.get(rt);
  const maxAgeMs = rt.config.api.statusMaxAgeSeconds * 1000;
  if (!shared) {
    // Refreshed once a second while polled, so a slow refresh (a busy S3 or SQS) has the rest of
    // the bound to finish before any caller waits for it.
    shared = new SharedAnswer(() => computeStatus(rt), {
      maxAgeMs,
      refreshAfterMs: Math.min(REFRESH_AFTER_MS, maxAgeMs / 2),
    });
    answers.set(rt, shared);
  }
  const answer = await shared.get();
  return jsonOf(answer, () => ({
    at: new Date(answer.at).toISOString(),
    maxAgeSeconds: maxAgeMs / 1000,
    ...answer.value,
  }));
}

async function computeStatus(rt: PublishRuntime) {
  const [checks, counts, deadLettered, queues] = await Promise.all([
    runChecks(rt),
    rt.photos.countByStatus(),
    rt.photos.countDeadLettered(),
    stageQueueDepths(rt.clients.sqs, rt.config),
  ]);
  const live = checks.instagram.ok ? undefined : checks.instagram.error;
  return {
    config: { ok: Object.values(checks).every((c) => c.ok), checks, settings: redactConfig(rt.config) },
    token: await tokenStatus(rt.tokens, rt.now(), live),
    counts,
    /** Photos with a stage whose message reached its dead-letter queue (`POST /photos/:id/retry` re-drives). */
    deadLettered,
    queues,
  };
}
