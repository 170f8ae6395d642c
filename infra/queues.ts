import { DEAD_LETTER_SETTINGS, STAGE_SETTINGS } from "./stage-settings.ts";

type Stage = keyof typeof STAGE_SETTINGS;

/** A stage's queue with its dead-letter queue; visibility ≥ the function's timeout (AWS requires it). */
function stageQueue(name: string, stage: Stage) {
  const settings = STAGE_SETTINGS[stage];
  const dlq = new sst.aws.Queue(`${name}DeadLetters`, {
    // The dead-letter subscriber's timeout must fit in it too.
    visibilityTimeout: `${DEAD_LETTER_SETTINGS.visibilityTimeoutSeconds} seconds`,
    transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
  });
  const queue = new sst.aws.Queue(`${name}Jobs`, {
    visibilityTimeout: `${settings.visibilityTimeoutSeconds} seconds`,
    dlq: { queue: dlq.arn, retry: settings.maxReceives },
  });
  return { queue, dlq };
}

export const convert = stageQueue("Convert", "convert");
export const mirror = stageQueue("Mirror", "mirror");
export const publish = stageQueue("Publish", "publish");
export const reel = stageQueue("Reel", "reel");
export const stageQueues = [convert, mirror, publish, reel];
