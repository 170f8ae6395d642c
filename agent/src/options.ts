/** What `startAgent` takes (names fixed by the local stack and the CLI), and its defaults in one place. */
import { totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { createLogger, type Logger } from "@photo-relay/core/edge";
import type { ArchiveMode } from "./delivery/archive.ts";
import type { MediaKind } from "./intake/media-kind.ts";
import { defaultAgentId } from "./reports/agent-id.ts";
import type { RetentionOptions } from "./spool/retention.ts";

export interface AgentOptions {
  /** Watched folders (recursively; temporary names of tether software are skipped). */
  inbox: string[];
  /** Where delivered originals go; default `<first inbox>/../processed`. */
  processedDir?: string;
  /** "move" (default): originals go to `processedDir` after verified delivery; "keep": they stay. */
  archive?: ArchiveMode;
  /** Crash-safe spool (copies + journal). Put it on the inbox volume so hard links work. */
  spoolDir: string;
  s3: { client: S3Client; bucket: string; prefix?: "originals/" };
  /**
   * Largest multipart part; default 8 MiB. Parts are sized for about 2 s each on the measured
   * uplink, from S3's 5 MiB minimum up to this.
   */
  partSizeBytes?: number;
  /** Most parts in flight across all files (files in flight: twice that); default 4, fewer when memory is short. */
  concurrency?: number;
  /** Memory for part buffers; default min(64 MiB, 1/16 of the machine's); bounds parts in flight. */
  memoryBytes?: number;
  /**
   * The settle: size and mtime must hold still this long after the writer closed the file (Linux)
   * and its format check passed; default 100 ms. Files whose structure cannot prove them complete
   * wait at least 2 s.
   */
  stableMs?: number;
  /** Reconciliation scan period; default 10 000 ms. */
  scanIntervalMs?: number;
  /** A stable file that stays incomplete/unreadable this long is rejected; default max(30 s, 5 × stableMs). */
  graceMs?: number;
  include?: MediaKind[];
  exclude?: MediaKind[];
  /** Refuse new files below this much free space on the spool volume; default 256 MiB. */
  spoolMinFreeBytes?: number;
  retention?: RetentionOptions;
  /** Hard-link into the spool when possible (default true); false always copies. */
  linkIntoSpool?: boolean;
  /** Per-request timeout, so a black-holed connection is noticed; default 120 000 ms. */
  requestTimeoutMs?: number;
  /** Offline probe backoff; defaults 500 ms doubling to 30 s, with jitter. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** Backoff for files that failed for a non-network reason (auth, conflict); default 5 s to 5 min. */
  failedBackoff?: { baseMs?: number; maxMs?: number };
  /** This capture PC's name in its reports (`agents/<agentId>/…`); default: the host name, sanitised. */
  agentId?: string;
  /** How often the heartbeat is written while online; default 30 000 ms (0: never). */
  heartbeatIntervalMs?: number;
  /** Where refused files whose bytes matter go (incomplete, too large); default `<first inbox>/../rejected`. */
  rejectedDir?: string;
  /** Larger files are refused as `too_large`; default 20 GiB. */
  maxFileBytes?: number;
  logger?: Logger;
}

const MiB = 1024 * 1024;

/** The options with every default applied and every path absolute. */
export type Settings = ReturnType<typeof resolveSettings>;

export function resolveSettings(options: AgentOptions) {
  const inbox = options.inbox.map((dir) => resolve(dir));
  const first = inbox[0];
  if (!first) throw new Error("startAgent: at least one inbox folder is required");
  const stableMs = options.stableMs ?? 100;
  return {
    inbox,
    spoolDir: resolve(options.spoolDir),
    processedDir: resolve(options.processedDir ?? join(dirname(first), "processed")),
    archive: options.archive ?? "move",
    bucket: options.s3.bucket,
    client: options.s3.client,
    partSize: options.partSizeBytes ?? 8 * MiB,
    concurrency: options.concurrency ?? 4,
    memoryBytes: options.memoryBytes ?? Math.min(64 * MiB, Math.floor(totalmem() / 16)),
    stableMs,
    graceMs: options.graceMs ?? Math.max(30_000, 5 * stableMs),
    scanIntervalMs: options.scanIntervalMs ?? 10_000,
    include: options.include,
    exclude: options.exclude,
    spoolMinFreeBytes: options.spoolMinFreeBytes,
    retention: options.retention,
    linkIntoSpool: options.linkIntoSpool ?? true,
    requestTimeoutMs: options.requestTimeoutMs ?? 120_000,
    backoff: { baseMs: 500, maxMs: 30_000, ...options.backoff },
    failedBackoff: { baseMs: 5000, maxMs: 300_000, ...options.failedBackoff },
    agentId: options.agentId ?? defaultAgentId(),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    rejectedDir: resolve(options.rejectedDir ?? join(dirname(first), "rejected")),
    maxFileBytes: options.maxFileBytes ?? 20 * 1024 * MiB,
    logger: options.logger ?? createLogger("photo-relay-agent"),
  };
}
