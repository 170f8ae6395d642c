/**
 * Per-stage function and queue settings, shared by the infrastructure (`infra/`) and the local
 * stack so both run the handlers the same way. Dependency-free on purpose: `infra/` imports it as
 * `@photo-relay/pipeline/settings` and must not pull in anything else.
 *
 * The numbers follow from what each stage does:
 * - a queue's visibility timeout is never shorter than its function's timeout (AWS refuses such
 *   an event source mapping), here 1.5× or more;
 * - a publish step makes at most {@link GRAPH_CALLS_PER_STEP} Graph API calls (status, quota,
 *   `media_publish`), each bounded by `graphCallSeconds`, so the function's timeout covers them
 *   all plus a margin for the token, DynamoDB and SQS;
 * - mirror works its batch one record after another over shared web-host connections and starts
 *   a record only while `recordBudgetSeconds` are left in the invocation; the rest go back to the
 *   queue untouched instead of being cut off by the timeout.
 */
export interface StageSettings {
  timeoutSeconds: number;
  memoryMb: number;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceives: number;
}

/** The most Graph API calls one publish step makes (the `publish` step: status, quota, media_publish). */
export const GRAPH_CALLS_PER_STEP = 3;

const GRAPH_CALL_SECONDS = 20;
/** Token read, record writes and next-job sends around the Graph calls. */
const PUBLISH_MARGIN_SECONDS = 15;
const PUBLISH_TIMEOUT_SECONDS = GRAPH_CALLS_PER_STEP * GRAPH_CALL_SECONDS + PUBLISH_MARGIN_SECONDS;

export const STAGE_SETTINGS = {
  convert: { timeoutSeconds: 60, memoryMb: 2048, batchSize: 1, visibilityTimeoutSeconds: 90, maxReceives: 5 },
  mirror: {
    timeoutSeconds: 120,
    memoryMb: 512,
    batchSize: 10,
    visibilityTimeoutSeconds: 180,
    maxReceives: 8,
    /** The longest one record may take: a transport's connect timeout (30 s by default) and its uploads. */
    recordBudgetSeconds: 40,
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
} as const satisfies {
  convert: StageSettings;
  mirror: StageSettings & { recordBudgetSeconds: number };
  publish: StageSettings & { graphCallSeconds: number };
};

/** Table layout, shared by the infrastructure code and the local stack. */
export const PHOTOS_TABLE = {
  partitionKey: "id",
  indexes: {
    byStatus: { partitionKey: "status", sortKey: "updatedAt" },
    byTime: { partitionKey: "kind", sortKey: "updatedAt" },
  },
} as const;

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
