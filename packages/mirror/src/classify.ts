/** Node socket and TLS failures mapped to transport codes; shared by the FTPS and SFTP backends. */
import { TransportError, type TransportErrorCode } from "./errors.ts";

const CONNECT_CODES = new Set([
  "ECONNREFUSED",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EADDRNOTAVAIL",
]);
const LOST_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ERR_STREAM_PREMATURE_CLOSE",
  "ERR_SOCKET_CLOSED",
]);

/** Where a connection was when it failed: errors while setting up TLS are TLS failures. */
export type Phase = "connect" | "tls" | "login" | "transfer";

/** The code for a failure that is not protocol-specific, or `undefined` when the backend must decide. */
export function networkCode(error: unknown, phase: Phase): TransportErrorCode | undefined {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  if (code === "ETIMEDOUT" || /timed? ?out/i.test(message)) return "timeout";
  if (CONNECT_CODES.has(code)) return "connect_failed";
  if (phase === "tls") return "tls_failed";
  if (isTlsVerifyError(code)) return "tls_failed";
  if (LOST_CODES.has(code) || /closed|socket hang up|ended by the other party|FIN/i.test(message)) {
    return phase === "connect" ? "connect_failed" : "connection_lost";
  }
  return undefined;
}

/** OpenSSL verification codes (`DEPTH_ZERO_SELF_SIGNED_CERT`, …) and Node's `ERR_TLS_*`/`ERR_SSL_*`. */
export function isTlsVerifyError(code: string): boolean {
  return /^(ERR_TLS_|ERR_SSL_)|CERT|UNABLE_TO_(GET|VERIFY)|SELF_SIGNED/.test(code);
}

/** A message that says what failed and, for certificates, what to configure. */
export function describeFailure(
  host: string,
  port: number,
  code: TransportErrorCode,
  error: unknown,
): string {
  const e = error as { code?: unknown; message?: unknown };
  const detail = `${typeof e.code === "string" ? `${e.code}: ` : ""}${String(e.message ?? error)}`;
  switch (code) {
    case "tls_failed": {
      const untrusted =
        typeof e.code === "string" && /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|FINGERPRINT/.test(e.code);
      const hint = untrusted ? "; trust its certificate with `ca` or pin it with `fingerprint`" : "";
      return `TLS with ${host}:${port} failed (${detail.split("\n")[0]})${hint}`;
    }
    case "connect_failed":
      return `cannot connect to ${host}:${port} (${detail})`;
    case "timeout":
      return `${host}:${port} did not answer in time (${detail})`;
    default:
      return `${host}:${port}: ${detail}`;
  }
}

export function transportError(name: string, code: TransportErrorCode, message: string, cause: unknown) {
  return new TransportError(name, code, message, { cause });
}
