/**
 * Waiting for Meta within the step that made a container. Meta processes an image container in
 * about a second; the queue's first check comes `checkDelaysSeconds[0]` (2 s) after an SQS round
 * trip, which would add more than that again to every post. So right after `create` the step asks
 * every `instagram.checkInStep.everyMs` for up to `checkInStep.forSeconds`, and only a container
 * still processing then goes to the queued checks. It waits for a single image only: Reels and
 * video stories take Meta tens of seconds, and a carousel's `create` has made its three rounds of
 * calls already (`settings.ts`). It never waits
 * - beyond what the invocation can afford: one more Graph call at its timeout and the step's own
 *   margin must still fit in the time left,
 * - while Meta's usage headers say half the call budget is spent (Meta advises polling sparingly).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerStatus } from "@photo-relay/instagram";
import type { PublishMedia } from "../../photo/photo-record.ts";
import { PUBLISH_MARGIN_SECONDS, STAGE_SETTINGS } from "../../settings.ts";
import type { StepContext } from "../../stage-runner.ts";
import type { PublishRuntime } from "./publish-runtime.ts";

/** Above this share of Meta's call budget (its usage headers, in percent) the queue does the waiting. */
const USAGE_LIMIT_PERCENT = 50;
/** What the step needs after its last status call: that call at its timeout, then the record and the send. */
const RESERVE_MS = (STAGE_SETTINGS.publish.graphCallSeconds + PUBLISH_MARGIN_SECONDS) * 1000;

/** One image: a feed image or an image story (a carousel's create step has spent its rounds of calls). */
const isSingleImage = (media: PublishMedia): boolean =>
  media.kind === "image" || (media.kind === "story" && media.videoKey === undefined);

/**
 * The container's status once Meta is done with it (FINISHED, ERROR, EXPIRED or PUBLISHED), or
 * `undefined` when it is still processing at the end of the wait, or no wait was allowed.
 */
export async function statusWithinStep(
  rt: PublishRuntime,
  containerId: string,
  media: PublishMedia,
  step: StepContext,
): Promise<ContainerStatus | undefined> {
  const { everyMs, forSeconds } = rt.config.instagram.checkInStep;
  if (!isSingleImage(media)) return undefined;
  const until = Date.now() + forSeconds * 1000;
  while (Date.now() + everyMs <= until) {
    if (step.remainingMs() - everyMs < RESERVE_MS) return undefined;
    if ((rt.graph.lastUsage?.maxPercent ?? 0) >= USAGE_LIMIT_PERCENT) return undefined;
    await sleep(everyMs);
    const status = await rt.graph.getContainerStatus(containerId);
    if (status.statusCode !== "IN_PROGRESS") return status;
  }
  return undefined;
}
