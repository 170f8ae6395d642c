/**
 * What `synth.test.ts` expects of each deployed function: memory, timeout, /tmp, install list,
 * queues, links and its exact IAM rights (`<action> <resource>`), written out by hand so a change
 * in `infra/` must be matched here on purpose.
 */

const consume = (queue: string) =>
  ["ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes", "ReceiveMessage"].map(
    (a) => `sqs:${a} ${queue}`,
  );
const photoItems = [
  "dynamodb:GetItem photos",
  "dynamodb:PutItem photos",
  "dynamodb:UpdateItem photos when dynamodb:LeadingKeys ForAllValues:StringEquals setting:photo-counts",
];
const dlqs = ["ConvertDlq", "MirrorDlq", "PublishDlq", "ReelDlq"];

/**
 * The specification: one row per function (`storage`: Lambda's /tmp in MB, 512 unless given;
 * `install`: what SST installs beside the bundle for Lambda's platform, besides sharp's natives).
 */
export const EXPECTED_FUNCTIONS: Record<
  string,
  {
    memory: number;
    timeout: number;
    storage?: number;
    install?: string[];
    queues: { queue: string; batch: number; maxConcurrency: number | undefined }[];
    links: string[];
    rights: string[];
  }
> = {
  Api: {
    memory: 512,
    timeout: 29,
    queues: [],
    links: [
      "ApiToken",
      "ConvertQueue",
      "InstagramToken",
      "Media",
      "MirrorQueue",
      "Photos",
      "PublishQueue",
      "ReelQueue",
      ...dlqs,
    ],
    rights: [
      "s3:PutObject media/originals/*",
      "s3:GetObject media/renditions/*",
      "s3:ListBucket media",
      ...photoItems,
      "dynamodb:DescribeTable photos",
      "dynamodb:Scan photos",
      "dynamodb:Query photos/index/*",
      "sqs:SendMessage convert",
      "sqs:SendMessage mirror",
      "sqs:SendMessage publish",
      ...["convert", "mirror", "publish", "reel"].flatMap((q) => [
        `sqs:GetQueueAttributes ${q}`,
        `sqs:GetQueueAttributes ${q}-dlq`,
      ]),
      "ssm:GetParameter token-parameter",
    ],
  },
  Convert: {
    memory: 2048,
    timeout: 60,
    storage: 4096,
    queues: [{ queue: "convert", batch: 1, maxConcurrency: undefined }],
    links: ["ConvertQueue", "Media", "MirrorQueue", "Photos", "PublishQueue", "ReelQueue"],
    rights: [
      ...consume("convert"),
      "s3:GetObject media/originals/*",
      "s3:GetObject media/agents/*/rejected/*",
      "s3:PutObject media/renditions/*",
      "s3:PutObject media/quarantine/*",
      "s3:DeleteObject media/originals/*",
      ...photoItems,
      "sqs:SendMessage mirror",
      "sqs:SendMessage publish",
      "sqs:SendMessage reel",
    ],
  },
  Reel: {
    memory: 3538,
    timeout: 900,
    storage: 4096,
    install: ["@ffmpeg-installer/ffmpeg"],
    queues: [{ queue: "reel", batch: 1, maxConcurrency: undefined }],
    links: ["Media", "MirrorQueue", "Photos", "PublishQueue", "ReelQueue"],
    rights: [
      ...consume("reel"),
      "s3:GetObject media/originals/*",
      "s3:PutObject media/renditions/*",
      "s3:AbortMultipartUpload media/renditions/*",
      ...photoItems,
      "sqs:SendMessage mirror",
      "sqs:SendMessage publish",
    ],
  },
  Mirror: {
    memory: 512,
    timeout: 120,
    queues: [{ queue: "mirror", batch: 10, maxConcurrency: 2 }],
    links: ["Media", "MirrorQueue", "Photos", "PublishQueue", "MirrorFtpPassword", "MirrorSftpKey"],
    rights: [
      ...consume("mirror"),
      "s3:GetObject media/renditions/*",
      "s3:GetObject media/originals/*",
      ...photoItems,
      "sqs:SendMessage publish",
      ...["PutObject", "GetObject", "DeleteObject"].map(
        (a) => `s3:${a} arn:aws:s3:::example-web-bucket/photos/*`,
      ),
    ],
  },
  Publish: {
    memory: 256,
    timeout: 75,
    queues: [{ queue: "publish", batch: 5, maxConcurrency: 2 }],
    links: ["InstagramToken", "Media", "Photos", "PublishQueue"],
    rights: [
      ...consume("publish"),
      "s3:GetObject media/renditions/*",
      "s3:GetObject media/originals/*",
      "s3:GetObject media/sidecars/*",
      ...photoItems,
      "sqs:SendMessage publish",
      "ssm:GetParameter token-parameter",
    ],
  },
  InstagramTokenRefresh: {
    memory: 256,
    timeout: 60,
    queues: [],
    links: ["InstagramToken", "Photos"],
    rights: [
      "ssm:GetParameter token-parameter",
      "ssm:PutParameter token-parameter",
      ...["GetItem", "PutItem"].map(
        (a) =>
          `dynamodb:${a} photos when dynamodb:LeadingKeys ForAllValues:StringEquals setting:instagram-token-problem`,
      ),
    ],
  },
  DeadLetters: {
    memory: 256,
    timeout: 30,
    queues: ["convert-dlq", "mirror-dlq", "publish-dlq", "reel-dlq"].map((queue) => ({
      queue,
      batch: 10,
      maxConcurrency: 2,
    })),
    links: ["AlertWebhookUrl", "Alerts", "Photos", ...dlqs],
    rights: [
      ...["convert-dlq", "mirror-dlq", "publish-dlq", "reel-dlq"].flatMap(consume),
      ...photoItems,
      "sns:Publish alerts",
    ],
  },
};
