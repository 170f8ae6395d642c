import { STAGE_SETTINGS } from "@photo-relay/pipeline/settings";

type Stage = keyof typeof STAGE_SETTINGS;

/** A stage's queue with its dead-letter queue; visibility ≥ the function's timeout (AWS requires it). */
function stageQueue(name: string, stage: Stage) {
  const settings = STAGE_SETTINGS[stage];
  const dlq = new sst.aws.Queue(`${name}Dlq`, {
    transform: { queue: { messageRetentionSeconds: 14 * 24 * 3600 } },
  });
  const queue = new sst.aws.Queue(name, {
    visibilityTimeout: `${settings.visibilityTimeoutSeconds} seconds`,
    dlq: { queue: dlq.arn, retry: settings.maxReceives },
  });
  return { queue, dlq };
}

export const convert = stageQueue("ConvertQueue", "convert");
export const mirror = stageQueue("MirrorQueue", "mirror");
export const publish = stageQueue("PublishQueue", "publish");
