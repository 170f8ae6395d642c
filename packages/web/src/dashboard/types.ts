/** What the dashboard reads from the API (see packages/api/src/photo-summary.ts, health.ts). */
export type StageName = "convert" | "mirror" | "publish";
export type PhotoStatus = "processing" | "awaiting_approval" | "done" | "failed";

export interface PhotoSummary {
  id: string;
  name: string;
  source: string;
  status: PhotoStatus;
  stages: Record<StageName, string>;
  error?: { stage: StageName; code: string; message: string };
  createdAt: string;
  updatedAt: string;
  bytes: number;
  format?: string;
  thumbnailUrl?: string;
  permalink?: string;
  publishHold?: "hold" | "skip";
}

export interface QueueDepth {
  visible: number;
  inFlight: number;
  delayed: number;
  deadLetters: number | null;
}

export interface AgentHealth {
  agentId: string;
  online: boolean;
  reason?: "reported_offline" | "overdue";
  problem?: string;
  heartbeat?: {
    hostname: string;
    at: string;
    online: boolean;
    spool: { files: number; bytes: number };
    lastFile?: { name: string; at: string };
  };
}

export interface Health {
  at: string;
  mode: "auto" | "manual";
  queues: Record<StageName, QueueDepth | { error: string }>;
  counts: Record<PhotoStatus, number>;
  instagram:
    | { quotaUsage: number; quotaTotal: number; windowHours: number; nextPostAt: string | null }
    | { error: { code: string; message: string } };
  token:
    | { valid: boolean; daysLeft?: number; expiresAt?: string; problem?: { message: string }; source: string }
    | { error: { code: string; message: string } };
  agents: AgentHealth[];
}
