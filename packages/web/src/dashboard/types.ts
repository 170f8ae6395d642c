/** What the dashboard reads: the API's own answer types (type-only, so nothing of the API is bundled). */
export type { AgentHealth, Health, PhotoStats, PhotoSummary, PhotoView, Refusal } from "@photo-relay/api";
export type { PhotoStatus, StageName } from "@photo-relay/pipeline/photo";
