/** Transitions of one stage's record; the photo's summary status is derived by the store. */
import { describeError, isRetryable } from "@photo-relay/core";
import type { PhotoRecord, StageName, StageRecord, StageStatus } from "./photo-record.ts";
import type { Transition } from "./photo-store.ts";

type StagePatch<N extends StageName> = Partial<PhotoRecord["stages"][N]>;

/** Sets fields of one stage (and optionally of the photo) and stamps the stage's time. */
export function setStage<N extends StageName>(
  name: N,
  patch: StagePatch<N>,
  photoPatch: Partial<PhotoRecord> = {},
  now = new Date(),
): Transition {
  return (photo) => {
    const stage = {
      ...photo.stages[name],
      ...patch,
      updatedAt: now.toISOString(),
    } as PhotoRecord["stages"][N];
    return { ...photo, ...photoPatch, stages: { ...photo.stages, [name]: stage } };
  };
}

/**
 * Like {@link setStage}, unless `key` is already recorded on the stage: the first writer wins (a
 * racing duplicate's container then expires unused; a photo is marked published once).
 */
export function setStageOnce<N extends StageName>(
  name: N,
  key: keyof PhotoRecord["stages"][N],
  patch: (stage: PhotoRecord["stages"][N]) => StagePatch<N>,
  now = new Date(),
): Transition {
  return (photo) =>
    photo.stages[name][key] ? undefined : setStage(name, patch(photo.stages[name]), {}, now)(photo);
}

/** A consumer starts working on the stage: it is `running` and one more attempt is counted. */
export function startStage(name: StageName, now = new Date()): Transition {
  return (photo) =>
    setStage(name, { status: "running", attempts: photo.stages[name].attempts + 1 }, {}, now)(photo);
}

/**
 * Records a failure: `retrying` when the queue will redeliver, `failed` when it never can succeed
 * (the stage runner passes its `GaveUpError` at the last receive). A stage that another consumer
 * has meanwhile finished is left finished.
 */
export function failStage(name: StageName, error: unknown, now = new Date()): Transition {
  const status: StageStatus = isRetryable(error) ? "retrying" : "failed";
  const lastError = { ...describeError(error), at: now.toISOString() };
  return (photo) =>
    isFinished(photo.stages[name])
      ? undefined
      : setStage(name, { status, lastError } as Partial<StageRecord>, {}, now)(photo);
}

export const isFinished = (stage: StageRecord): boolean =>
  stage.status === "done" || stage.status === "skipped";

/**
 * The stage's message reached its dead-letter queue: the stage is `failed` and marked
 * `deadLettered`. Its last error stays the reason (the runner's "gave up after N attempts: …");
 * a stage the queue gave up on before the runner did gets `dead_lettered`. A finished stage, or
 * one marked already, is left alone.
 */
export function deadLetterStage(name: StageName, now = new Date()): Transition {
  return (photo) => {
    const stage = photo.stages[name];
    if (isFinished(stage) || stage.deadLettered) return undefined;
    const lastError =
      stage.status === "failed" && stage.lastError
        ? stage.lastError
        : {
            code: "dead_lettered",
            message: `its message reached the dead-letter queue${stage.lastError ? ` (last: ${stage.lastError.message})` : ""}`,
            at: now.toISOString(),
          };
    return setStage(
      name,
      { status: "failed", deadLettered: true, lastError } as Partial<StageRecord>,
      {},
      now,
    )(photo);
  };
}

/** A re-drive starts the stage afresh: `pending`, no longer dead-lettered. */
export function restartStage(name: StageName, now = new Date()): Transition {
  return (photo) => {
    const { deadLettered: _, ...stage } = photo.stages[name];
    const restarted = { ...photo, stages: { ...photo.stages, [name]: stage } };
    return setStage(name, { status: "pending" }, {}, now)(restarted);
  };
}
