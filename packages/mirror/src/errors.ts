/**
 * Mirror errors. Every transport failure becomes a {@link TransportError} with a stable `code` and a
 * `retryable` verdict, so the session can record it and the SQS handler can decide in one place.
 */
import { PhotoRelayError } from "@photo-relay/core";

/**
 * Stable transport failure codes. `connect_failed`, `timeout`, `connection_lost`, `size_mismatch` and
 * `server_busy` are retryable; `tls_failed`, `host_key_mismatch`, `auth_failed`, `permission_denied`,
 * `remote_error` and `invalid_path` are not (retrying cannot fix a certificate or a password).
 */
export type TransportErrorCode =
  | "connect_failed"
  | "timeout"
  | "connection_lost"
  | "size_mismatch"
  | "server_busy"
  | "tls_failed"
  | "host_key_mismatch"
  | "auth_failed"
  | "permission_denied"
  | "remote_error"
  | "invalid_path";

const RETRYABLE: ReadonlySet<TransportErrorCode> = new Set([
  "connect_failed",
  "timeout",
  "connection_lost",
  "size_mismatch",
  "server_busy",
]);

/** One transport failed one operation; `transport` is the transport's name, e.g. "ftps". */
export class TransportError extends PhotoRelayError {
  readonly transport: string;
  override readonly code: TransportErrorCode;

  constructor(
    transport: string,
    code: TransportErrorCode,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, `${transport}: ${message}`, { retryable: RETRYABLE.has(code), ...options });
    this.name = "TransportError";
    this.transport = transport;
    this.code = code;
  }
}

/** What one transport did for one file: no `error` means it took the file. */
export interface MirrorAttempt {
  transport: string;
  error?: { code: string; message: string };
}

/**
 * Every transport of a target failed for one file. Retryable when at least one failure was (a host
 * that is down may come back), so the caller returns the message to the queue; fatal when all of
 * them were configuration or permission problems.
 */
export class MirrorError extends PhotoRelayError {
  readonly target: string;
  readonly attempts: MirrorAttempt[];

  constructor(target: string, attempts: MirrorAttempt[], retryable: boolean) {
    const summary = attempts.map((a) => `${a.transport}: ${a.error?.code ?? "ok"}`).join(", ");
    super("mirror_failed", `mirror target "${target}" failed on every transport (${summary})`, {
      retryable,
    });
    this.name = "MirrorError";
    this.target = target;
    this.attempts = attempts;
  }
}

/**
 * Stable gallery failure codes. `private_metadata` (a rendition carries GPS or other private
 * metadata) and `invalid_rendition` (not a complete JPEG) are fatal: the same bytes will be refused
 * again. `gallery_unsettled` (the authoritative list kept changing while the manifest was written)
 * is retryable: a later update will write the complete manifest.
 */
export type GalleryErrorCode = "private_metadata" | "invalid_rendition" | "gallery_unsettled";

/** The gallery could not be updated; nothing that was refused reached the web host. */
export class GalleryError extends PhotoRelayError {
  override readonly code: GalleryErrorCode;

  constructor(code: GalleryErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { retryable: code === "gallery_unsettled", ...options });
    this.name = "GalleryError";
    this.code = code;
  }
}
