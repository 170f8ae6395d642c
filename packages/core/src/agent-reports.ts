/**
 * What the edge agent tells the cloud besides the photos themselves: a heartbeat (online, spool,
 * last file) and one report per file it refused. Both travel as small JSON objects under the agent's
 * own S3 prefix `agents/<agentId>/`, so the capture PC needs no credentials beyond S3 writes to
 * `originals/`, `sidecars/` and that prefix. The cloud side validates them with these schemas.
 */
// zod/mini, as the configuration (config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";

/** The S3 prefix an agent reports under. */
export const AGENTS_PREFIX = "agents/";

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const count = z.int().check(z.minimum(0));

export const agentId = z.string().check(z.regex(AGENT_ID, "letters, digits, '.', '_' or '-', at most 64"));

/** `agents/<agentId>/heartbeat.json`: overwritten by the agent every interval. */
export const heartbeatKey = (id: string): string => `${AGENTS_PREFIX}${id}/heartbeat.json`;

/** `agents/<agentId>/rejected/<reportId>.json`: one object per refused file, never overwritten. */
export const rejectionKey = (id: string, reportId: string): string =>
  `${AGENTS_PREFIX}${id}/rejected/${reportId}.json`;

export const heartbeatSchema = z.object({
  agentId,
  hostname: z.string(),
  version: z.string(),
  /** When the agent wrote this heartbeat (ISO 8601); the cloud calls the agent offline when it is old. */
  at: z.iso.datetime(),
  /** How often the agent writes one, so the reader knows when it is overdue. */
  intervalSeconds: z.int().check(z.positive()),
  /** Whether the agent reaches S3 (it can only report when it does, so this says "was it draining"). */
  online: z.boolean(),
  spool: z.object({ files: count, bytes: count }),
  lastFile: z.optional(z.object({ name: z.string(), at: z.iso.datetime(), photoId: z.optional(z.string()) })),
  counters: z.object({
    delivered: count,
    rejected: count,
    failed: count,
  }),
});
export type Heartbeat = z.infer<typeof heartbeatSchema>;

/** Why the agent refused a file; the stable codes the dashboard and API show. */
export const rejectionCode = z.enum([
  "incomplete", // still not complete after the grace time (a truncated or abandoned write)
  "unreadable", // the agent may not read it
  "unknown_kind", // not a photo, video or sidecar the pipeline takes
  "too_large", // over the configured size limit
  "empty", // zero bytes
]);
export type RejectionCode = z.infer<typeof rejectionCode>;

export const rejectionSchema = z.object({
  agentId,
  /** Unique per report (the file's SHA-256 when it could be read, else a random id). */
  reportId: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/)),
  at: z.iso.datetime(),
  file: z.object({
    name: z.string(),
    /** Where the agent found it, relative to its watched folder. */
    path: z.string(),
    bytes: count,
    sha256: z.optional(z.string().check(z.regex(/^[0-9a-f]{64}$/))),
  }),
  reason: z.object({ code: rejectionCode, message: z.string() }),
  /** Where the bytes are now: the agent's `rejected/` folder, its spool (bytes kept), or nowhere. */
  kept: z.enum(["rejected-folder", "spool", "left-in-place", "none"]),
});
export type Rejection = z.infer<typeof rejectionSchema>;
