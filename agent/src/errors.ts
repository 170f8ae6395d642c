/** The agent's named errors. The upload loop in `agent.ts` is the one place that translates them into states. */
import { PhotoRelayError, RetryableError } from "@photo-relay/core";

/** The spool volume has less free space than the configured floor; the file stays in the inbox. */
export class SpoolFullError extends RetryableError {
  constructor(freeBytes: number, neededBytes: number) {
    super("spool_full", `spool disk full: ${freeBytes} bytes free, ${neededBytes} needed`);
    this.name = "SpoolFullError";
  }
}

/** The source changed while it was being copied into the spool; it is checked again later. */
export class SourceChangedError extends RetryableError {
  constructor(path: string) {
    super("source_changed", `${path} changed while it was spooled`);
    this.name = "SourceChangedError";
  }
}

/** The spool copy no longer hashes to its recorded SHA-256 (disk corruption or a rewritten hard link). */
export class SpoolCorruptError extends PhotoRelayError {
  constructor(key: string) {
    super("spool_corrupt", `spool copy for ${key} does not match its SHA-256`);
    this.name = "SpoolCorruptError";
  }
}

/** A different object already sits at the content-addressed key; nothing is overwritten. */
export class ObjectConflictError extends PhotoRelayError {
  constructor(key: string, detail: string) {
    super("object_conflict", `s3://…/${key} exists with different content (${detail})`);
    this.name = "ObjectConflictError";
  }
}
