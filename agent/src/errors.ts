/** The agent's named errors and S3 error classes. The delivery loop is the one place that turns them into states. */
import { PhotoRelayError, RetryableError } from "@photo-relay/core/edge";

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

/** A gphoto2 session ended (camera unplugged, switched off, claimed by another program); it starts again. */
export class TetherEndedError extends RetryableError {
  constructor(reason: string) {
    super("tether_ended", reason);
    this.name = "TetherEndedError";
  }
}

/** A different object already sits at the content-addressed key; nothing is overwritten. */
export class ObjectConflictError extends PhotoRelayError {
  constructor(key: string, detail: string) {
    super("object_conflict", `s3://…/${key} exists with different content (${detail})`);
    this.name = "ObjectConflictError";
  }
}

// S3 answers, classified by what the agent does about them (the same on AWS and on fauxqs).

interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const shape = (error: unknown): S3ErrorShape =>
  (typeof error === "object" && error !== null ? error : {}) as S3ErrorShape;
const httpStatus = (error: unknown) => shape(error).$metadata?.httpStatusCode;
const named = (error: unknown, ...names: string[]) => {
  const e = shape(error);
  return names.includes(e.name ?? "") || names.includes(e.Code ?? "");
};

export const isNotFound = (error: unknown) =>
  named(error, "NotFound", "NoSuchKey") || httpStatus(error) === 404;

/** The upload id is gone (aborted, expired by a lifecycle rule, or already completed). */
export const isNoSuchUpload = (error: unknown) => named(error, "NoSuchUpload");

/** `If-None-Match: *` lost: an object already exists at the key. */
export const isPreconditionFailed = (error: unknown) =>
  named(error, "PreconditionFailed") || httpStatus(error) === 412;

/** A concurrent conditional write; S3 asks to start the multipart upload again. */
export const isConditionalConflict = (error: unknown) =>
  named(error, "ConditionalRequestConflict") || httpStatus(error) === 409;

/** Credentials or permissions: waiting will not help until the configuration changes. */
export const isAuthError = (error: unknown) =>
  named(
    error,
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "ExpiredToken",
    "InvalidToken",
  ) || httpStatus(error) === 403;
