/**
 * Per-stage function and queue settings, shared by the infrastructure (`infra/`) and the local
 * stack so both run the handlers the same way. A queue's visibility timeout is never shorter than
 * its function's timeout (AWS refuses such an event source mapping).
 */
export interface StageSettings {
  timeoutSeconds: number;
  memoryMb: number;
  batchSize: number;
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  maxReceives: number;
}

export const STAGE_SETTINGS = {
  convert: { timeoutSeconds: 60, memoryMb: 2048, batchSize: 1, visibilityTimeoutSeconds: 90, maxReceives: 5 },
  mirror: {
    timeoutSeconds: 120,
    memoryMb: 512,
    batchSize: 10,
    visibilityTimeoutSeconds: 180,
    maxReceives: 8,
  },
  publish: { timeoutSeconds: 30, memoryMb: 256, batchSize: 5, visibilityTimeoutSeconds: 45, maxReceives: 10 },
} as const satisfies Record<"convert" | "mirror" | "publish", StageSettings>;

/** Table layout, shared by the infrastructure code and the local stack. */
export const PHOTOS_TABLE = {
  partitionKey: "id",
  indexes: {
    byStatus: { partitionKey: "status", sortKey: "updatedAt" },
    byTime: { partitionKey: "kind", sortKey: "updatedAt" },
  },
} as const;
