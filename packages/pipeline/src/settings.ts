/**
 * Per-stage function and queue settings, shared by the infrastructure (`infra/`) and the local
 * stack so both run the handlers the same way. Dependency-free on purpose: `infra/` imports it as
 * `@photo-relay/pipeline/settings` and must not pull in anything else.
 *
 * The numbers follow from what each stage does:
 * - a queue's visibility timeout is never shorter than its function's timeout (AWS refuses such
 *   an event source mapping), here 1.5× or more;
 * - a publish step waits on at most {@link GRAPH_CALLS_PER_STEP} rounds of Graph API calls, each
 *   call bounded by `graphCallSeconds`, so the function's timeout covers them all plus a margin for
 *   the token, DynamoDB and SQS. `publish` makes three calls one after another (status, quota,
 *   `media_publish`); a carousel's `create` makes its items in one step (quota, then every item at
 *   once) and the carousel in the next (quota, every item's status at once, the carousel), so ten
 *   items take no longer than one;
 * - reel (a video made a Reel: a transcode with ffmpeg) takes Lambda's longest timeout, two vCPUs'
 *   worth of memory for x264 and the ephemeral storage for the original and the Reel; a video that
 *   could not finish in that time is refused by the stage within its first seconds (`@photo-relay/video`);
 * - mirror works its batch one record after another over shared web-host connections and starts
 *   a record only while {@link mirrorRecordBudgetSeconds} are left in the invocation (every
 *   transport of every target tried in turn, each up to its timeout); the rest go back to the
 *   queue untouched instead of being cut off by the timeout. Targets that could take longer than
 *   the function may run are refused at deploy and at start.
 */
export interface StageSettings {
  timeoutSeconds: number;
  memoryMb: number;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceives: number;
  /** Lambda's /tmp, where it is more than the default 512 MB. */
  ephemeralStorageMb?: number;
}

/** The most rounds of Graph API calls one publish step waits on (the `publish` step: status, quota, media_publish). */
export const GRAPH_CALLS_PER_STEP = 3;

const GRAPH_CALL_SECONDS = 20;
/** Token read, record writes and next-job sends around the Graph calls. */
export const PUBLISH_MARGIN_SECONDS = 15;
const PUBLISH_TIMEOUT_SECONDS = GRAPH_CALLS_PER_STEP * GRAPH_CALL_SECONDS + PUBLISH_MARGIN_SECONDS;

export const STAGE_SETTINGS = {
  convert: {
    timeoutSeconds: 60,
    memoryMb: 2048,
    batchSize: 1,
    visibilityTimeoutSeconds: 90,
    maxReceives: 5,
    // A video streams to /tmp to be hashed and its index read: any video the reel stage can take.
    ephemeralStorageMb: 4096,
  },
  mirror: {
    timeoutSeconds: 120,
    memoryMb: 512,
    batchSize: 10,
    visibilityTimeoutSeconds: 180,
    maxReceives: 8,
  },
  publish: {
    timeoutSeconds: PUBLISH_TIMEOUT_SECONDS,
    memoryMb: 256,
    batchSize: 5,
    visibilityTimeoutSeconds: PUBLISH_TIMEOUT_SECONDS * 2,
    maxReceives: 10,
    /** Per-call timeout of the Graph API client in the publish function. */
    graphCallSeconds: GRAPH_CALL_SECONDS,
  },
  reel: {
    timeoutSeconds: 900,
    // Lambda gives a vCPU per 1769 MB: two for x264's threads.
    memoryMb: 3538,
    batchSize: 1,
    visibilityTimeoutSeconds: 1350,
    // A transcode is long; what fails it again and again (ffmpeg killed, S3) will not mend by the fifth try.
    maxReceives: 3,
    // The original and the Reel (at most its bitrate cap × its length) with room to spare.
    ephemeralStorageMb: 4096,
  },
} as const satisfies {
  convert: StageSettings;
  mirror: StageSettings;
  publish: StageSettings & { graphCallSeconds: number };
  reel: StageSettings;
};

/** The queues of the stages: the photo's three stages, and the reel queue a video's conversion goes on through. */
export type QueueName = keyof typeof STAGE_SETTINGS;

/** A network transport's timeout unless its options set `timeoutMs` (the mirror package's default). */
const TRANSPORT_TIMEOUT_SECONDS = 30;
/** Reading the renditions from S3 and writing the record, around the transfers. */
const MIRROR_RECORD_MARGIN_SECONDS = 10;

/**
 * The longest one mirror record may take: each target's transports tried in turn (FTPS, then
 * SFTP, …), each waiting up to its timeout, plus a margin. A `local` folder waits on nothing.
 */
export function mirrorRecordBudgetSeconds(
  targets: readonly { transports: readonly { type: string; timeoutMs?: unknown }[] }[],
): number {
  const waits = targets.flatMap((t) =>
    t.transports.map((transport) =>
      typeof transport.timeoutMs === "number"
        ? transport.timeoutMs / 1000
        : transport.type === "local"
          ? 0
          : TRANSPORT_TIMEOUT_SECONDS,
    ),
  );
  return Math.ceil(waits.reduce((sum, w) => sum + w, 0)) + MIRROR_RECORD_MARGIN_SECONDS;
}

/**
 * The subscriber on every dead-letter queue: a few DynamoDB writes and an alert (SNS and a webhook
 * POST, each bounded by `alerts.webhookTimeoutSeconds` and tried twice) per message.
 */
export const DEAD_LETTER_SETTINGS = {
  timeoutSeconds: 30,
  memoryMb: 256,
  batchSize: 10,
  maximumConcurrency: 2,
  /** A message the subscriber could not mark comes back after this (at least twice its timeout). */
  visibilityTimeoutSeconds: 60,
} as const;

/**
 * Table layout, shared by the infrastructure code and the local stack. Besides one item per photo
 * it holds a few settings items (`kind: "setting"`) and, for best of the burst and the live
 * galleries, `camera#…`, `burst#…` and `gallery#…` items (see `bursts/`, `gallery/`), none with a
 * `status` or `updatedAt`, so neither `byStatus` nor `byTime` lists them (a burst's `createdAt`
 * puts it in `byArrival` under its own `kind`, which the grid's query of `kind = "photo"` skips).
 *
 * Indexes: `byStatus` (a state's photos, most recently changed first), `byTime` (all photos, most
 * recently changed first: the live updates) and `byArrival` (all photos, newest arrival first: the
 * dashboard's grid), which projects only what a grid card shows ({@link SUMMARY_PROJECTION}).
 */
export const PHOTOS_TABLE = {
  partitionKey: "id",
  /** The last refusal of the Instagram token, written by whoever calls Instagram (see token-problem-item.ts). */
  tokenProblemKey: "setting:instagram-token-problem",
  /** Photos per summary status, moved with every status change (see photo-counts.ts). */
  countsKey: "setting:photo-counts",
  indexes: {
    byStatus: { partitionKey: "status", sortKey: "updatedAt" },
    byTime: { partitionKey: "kind", sortKey: "updatedAt" },
    byArrival: { partitionKey: "kind", sortKey: "createdAt" },
  },
} as const;

/**
 * What the `byArrival` index carries besides its keys and the table's (`id`, `kind`, `createdAt`):
 * a grid card's attributes, not the journey, which is most of a photo's item.
 */
export const SUMMARY_PROJECTION = [
  "originalName",
  "originalKey",
  "source",
  "status",
  "stages",
  "updatedAt",
  "bytes",
  "format",
  "renditions",
  "publishHold",
  "burst",
  "rejection",
  "quarantine",
] as const;

/**
 * What the bucket notifies the convert queue of, shared by `infra/storage.ts` and the local stack:
 * new originals, and the edge agents' reports. S3 filters take a prefix and a suffix, no pattern,
 * so the agents' rule also matches their heartbeats (`agents/<id>/heartbeat.json`); convert
 * ignores those without reading them and records `agents/<id>/rejected/<reportId>.json`.
 */
export const CONVERT_NOTIFICATIONS = [
  { name: "OriginalsToConvert", prefix: "originals/" },
  { name: "AgentReportsToConvert", prefix: "agents/", suffix: ".json" },
] as const satisfies readonly { name: string; prefix: string; suffix?: string }[];

export { FUNCTION_NEEDS, FUNCTION_OPTIONS, type FunctionName } from "./function-needs.ts";
