/** The agent's public contract (names fixed by the local stack and the CLI). */
import type { S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@photo-relay/core";
import type { ArchiveMode } from "./archive.ts";
import type { MediaKind } from "./media-kind.ts";
import type { RetentionOptions } from "./retention.ts";

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
  /** Multipart part size; default 8 MiB (below the local emulator's 11 MiB body limit, ≥ S3's 5 MiB). */
  partSizeBytes?: number;
  /** Parts in flight across all files (and files in flight); default 4. Memory ≈ concurrency × partSize. */
  concurrency?: number;
  /** Size and mtime must hold still this long; default 2000 ms. */
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
  logger?: Logger;
}

export interface InFlight {
  name: string;
  bytes: number;
  sent: number;
}

export interface AgentStatus {
  online: boolean;
  /** Spooled files not yet delivered (including those in flight). */
  waiting: { files: number; bytes: number };
  delivered: number;
  ignored: number;
  failed: number;
  inFlight: InFlight[];
  /** The last failure reason, for the terminal view and `status`. */
  lastError?: { code: string; message: string };
}

export interface DeliveredEvent {
  path: string;
  key: string;
  sha256: string;
  bytes: number;
}

export interface IgnoredEvent {
  path: string;
  code: string;
  reason: string;
}

export interface FailedEvent {
  path: string;
  key?: string;
  code: string;
  reason: string;
}

export interface AgentEvents {
  delivered: DeliveredEvent;
  ignored: IgnoredEvent;
  failed: FailedEvent;
  offline: { error: { code: string; message: string } };
  online: Record<string, never>;
}

export interface Agent {
  /** Resolves once the journal is recovered, the watcher runs and the first scan is done. */
  ready: Promise<void>;
  /** Stops watching and uploading; in-flight parts are aborted (the journal lets the next start resume). */
  stop(): Promise<void>;
  status(): AgentStatus;
  on<E extends keyof AgentEvents>(event: E, fn: (payload: AgentEvents[E]) => void): void;
  /** Nominates a file now (gphoto2's download hook); `complete` skips the stability wait. */
  hint(path: string, complete?: boolean): void;
}
