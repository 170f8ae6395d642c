/**
 * Where configuration comes from outside a file: the environment variables, each mapped to the
 * field it sets, the variable holding the tunable settings document, and the fields never printed.
 */

/**
 * Environment variables and the field each one sets. Secrets may also come from `<NAME>_FILE`
 * (a path whose contents are the value), as in container secret mounts. `region` also comes from
 * AWS's own `AWS_REGION` (set in every Lambda) or `AWS_DEFAULT_REGION`; `PHOTO_RELAY_REGION` wins.
 */
export const ENV_VARS: Record<string, { path: string; type?: "number" | "boolean" | "list" | "json" }> = {
  PHOTO_RELAY_REGION: { path: "region" },
  PHOTO_RELAY_S3_BUCKET: { path: "s3.bucket" },
  PHOTO_RELAY_S3_ENDPOINT: { path: "s3.endpoint" },
  PHOTO_RELAY_S3_FORCE_PATH_STYLE: { path: "s3.forcePathStyle", type: "boolean" },
  PHOTO_RELAY_SQS_ENDPOINT: { path: "sqs.endpoint" },
  PHOTO_RELAY_CONVERT_QUEUE_URL: { path: "sqs.convertQueueUrl" },
  PHOTO_RELAY_MIRROR_QUEUE_URL: { path: "sqs.mirrorQueueUrl" },
  PHOTO_RELAY_PUBLISH_QUEUE_URL: { path: "sqs.publishQueueUrl" },
  PHOTO_RELAY_REEL_QUEUE_URL: { path: "sqs.reelQueueUrl" },
  PHOTO_RELAY_CONVERT_DLQ_URL: { path: "sqs.convertDlqUrl" },
  PHOTO_RELAY_MIRROR_DLQ_URL: { path: "sqs.mirrorDlqUrl" },
  PHOTO_RELAY_PUBLISH_DLQ_URL: { path: "sqs.publishDlqUrl" },
  PHOTO_RELAY_REEL_DLQ_URL: { path: "sqs.reelDlqUrl" },
  PHOTO_RELAY_DYNAMODB_ENDPOINT: { path: "dynamodb.endpoint" },
  PHOTO_RELAY_TABLE: { path: "dynamodb.table" },
  PHOTO_RELAY_API_TOKEN: { path: "api.token" },
  PHOTO_RELAY_MIRROR_TARGETS: { path: "mirror.targets", type: "json" },
  PHOTO_RELAY_GRAPH_BASE_URL: { path: "instagram.graphBaseUrl" },
  PHOTO_RELAY_GRAPH_API_VERSION: { path: "instagram.apiVersion" },
  PHOTO_RELAY_INSTAGRAM_USER_ID: { path: "instagram.userId" },
  PHOTO_RELAY_INSTAGRAM_TOKEN: { path: "instagram.accessToken" },
  PHOTO_RELAY_PUBLISH_MODE: { path: "instagram.mode" },
  PHOTO_RELAY_CAPTION_TEMPLATE: { path: "instagram.captionTemplate" },
  PHOTO_RELAY_HASHTAGS: { path: "instagram.hashtags", type: "list" },
  PHOTO_RELAY_INSTAGRAM_IMAGE_SOURCE: { path: "instagram.imageSource" },
  PHOTO_RELAY_INSTAGRAM_TOKEN_STORE: { path: "instagram.tokenStore", type: "json" },
  PHOTO_RELAY_ALERT_TOPIC_ARN: { path: "alerts.topicArn" },
  PHOTO_RELAY_SNS_ENDPOINT: { path: "alerts.endpoint" },
  PHOTO_RELAY_ALERT_WEBHOOK_URL: { path: "alerts.webhookUrl" },
};

/** The variable holding the {@link tunableSettingsSchema} document (JSON). */
export const SETTINGS_VAR = "PHOTO_RELAY_SETTINGS";

/** Fields never to print: masked by {@link redactConfig}. */
export const SECRET_PATHS = ["api.token", "instagram.accessToken", "alerts.webhookUrl"];
