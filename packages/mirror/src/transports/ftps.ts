/**
 * FTPS over basic-ftp (≥ 6.0.1 resumes TLS 1.2 and 1.3 sessions on data connections, which vsftpd's
 * `require_ssl_reuse=YES` demands). Certificates are verified by default; a private CA (`ca`) or a
 * pinned certificate fingerprint (`fingerprint`) are the only ways to trust anything else.
 */
import { createReadStream, readFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { setTimeout } from "node:timers/promises";
import type { ConnectionOptions, TLSSocket } from "node:tls";
import { ConfigError } from "@photo-relay/core";
import { Client, FTPError } from "basic-ftp";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import { describeFailure, networkCode, type Phase, transportError } from "../classify.ts";
import type { TransportError } from "../errors.ts";
import { type Connection, createFileTransport } from "../file-transport.ts";
import { oneOf, readSecret } from "../secrets.ts";
import type { Transport } from "../transport.ts";

export const ftpsOptionsSchema = z
  .object({
    type: z.literal("ftps"),
    name: z.optional(z.string().check(z.minLength(1))),
    host: z.string().check(z.minLength(1)),
    /** Defaults to 21 (explicit) or 990 (implicit). */
    port: z.optional(z.int().check(z.minimum(1), z.maximum(65_535))),
    user: z.string().check(z.minLength(1)),
    password: z.optional(z.string()),
    passwordFile: z.optional(z.string()),
    /** `explicit`: AUTH TLS on the plain port; `implicit`: TLS from the first byte (legacy, port 990). */
    tls: z._default(z.enum(["explicit", "implicit"]), "explicit"),
    /** PEM of the CA(s) to trust instead of the system store. */
    ca: z.optional(z.string()),
    caFile: z.optional(z.string()),
    /** SHA-256 fingerprint of the server certificate, as `openssl x509 -noout -fingerprint -sha256` prints it. */
    fingerprint: z.optional(
      z
        .string()
        .check(
          z.regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, "must be a SHA-256 fingerprint like AB:CD:…"),
        ),
    ),
    /** Name the certificate must carry, when it differs from `host` (e.g. connecting by IP). */
    servername: z.optional(z.string()),
    minTlsVersion: z._default(z.enum(["TLSv1.2", "TLSv1.3"]), "TLSv1.2"),
    /** Cap at TLSv1.2 for servers with broken TLS 1.3 session tickets (research §6). */
    maxTlsVersion: z._default(z.enum(["TLSv1.2", "TLSv1.3"]), "TLSv1.3"),
    /** Let a PASV reply name another host for data (NAT'd or load-balanced servers without EPSV). */
    allowSeparateTransferHost: z._default(z.boolean(), false),
    root: z._default(z.string(), ""),
    /** Idle time after which a connect or transfer counts as failed. */
    timeoutMs: z._default(z.int().check(z.positive()), 30_000),
  })
  .check(
    z.refine((o) => oneOf(o, "password") && (o.password ?? o.passwordFile) !== undefined, {
      message: "give exactly one of password and passwordFile",
      path: ["password"],
    }),
    z.refine((o) => oneOf(o, "ca"), { message: "give at most one of ca and caFile", path: ["ca"] }),
  );

export type FtpsOptions = z.infer<typeof ftpsOptionsSchema>;

export function createFtpsTransport(options: FtpsOptions): Transport {
  const name = options.name ?? "ftps";
  const port = options.port ?? (options.tls === "implicit" ? 990 : 21);
  const password = readSecret("password", options.password, options.passwordFile) ?? "";
  const ca = options.caFile === undefined ? options.ca : readCa(options.caFile);
  const pin = options.fingerprint?.toUpperCase();
  let phase: Phase = "connect";

  const tlsOptions: ConnectionOptions = {
    host: options.host,
    minVersion: options.minTlsVersion,
    maxVersion: options.maxTlsVersion,
    // A pin alone replaces chain verification (self-signed hosts); it is checked right after the
    // handshake, before the password is sent. Node only runs checkServerIdentity on chains it trusts.
    rejectUnauthorized: pin === undefined || ca !== undefined,
    ...(ca !== undefined && { ca }),
    ...(options.servername !== undefined && { servername: options.servername }),
  };

  const classify = (error: unknown): TransportError => {
    const code =
      error instanceof FTPError
        ? ftpReplyCode(error.code, phase)
        : (networkCode(error, phase) ?? "remote_error");
    return transportError(name, code, describeFailure(options.host, port, code, error), error);
  };

  const connect = async (): Promise<Connection> => {
    const client = new Client(options.timeoutMs, {
      allowSeparateTransferHost: options.allowSeparateTransferHost,
    });
    try {
      phase = "connect";
      if (options.tls === "implicit") {
        phase = "tls";
        await client.connectImplicitTLS(options.host, port, { ...tlsOptions });
      } else {
        await client.connect(options.host, port);
        phase = "tls";
        await client.useTLS({ ...tlsOptions });
      }
      if (pin !== undefined) checkPin(client.ftp.socket as TLSSocket, pin);
      phase = "login";
      await client.sendIgnoringError("OPTS UTF8 ON");
      await client.login(options.user, password);
      await client.useDefaultSettings();
      const home = await client.pwd();
      phase = "transfer";
      return ftpConnection(client, absolute(home, options.root));
    } catch (error) {
      client.close();
      throw error;
    }
  };

  return createFileTransport({ name, root: "", connect, classify });
}

/** The FTP primitives on one logged-in client; every path is made absolute under `root`. */
function ftpConnection(client: Client, root: string): Connection {
  const made = new Set<string>();
  const abs = (path: string) => absolute(root, path);
  const size = async (path: string): Promise<number | undefined> => {
    try {
      return await client.size(abs(path));
    } catch (error) {
      if (error instanceof FTPError && error.code === 550) return undefined;
      throw error;
    }
  };
  return {
    get alive() {
      return !client.closed;
    },
    async mkdirs(dir) {
      const path = abs(dir);
      if (made.has(path)) return;
      await client.ensureDir(path); // MKD each level, then CWD into it (so failures surface as 550)
      made.add(path);
    },
    async write(source, path) {
      await client.uploadFrom(Readable.from(chunks(source)), abs(path));
    },
    size,
    async read(path) {
      // SIZE first: a missing file is then not an error, and an empty one needs no data connection
      // (an empty TLS 1.3 transfer breaks vsftpd's session, see `chunks`).
      const bytes = await size(path);
      if (bytes === undefined || bytes === 0) return bytes === 0 ? Buffer.alloc(0) : undefined;
      const parts: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          parts.push(chunk);
          done();
        },
      });
      await client.downloadTo(sink, abs(path));
      return Buffer.concat(parts);
    },
    async rename(from, to) {
      try {
        await client.rename(abs(from), abs(to));
      } catch (error) {
        // Some servers refuse RNTO onto an existing file (vsftpd does not); replace it then.
        if (!(error instanceof FTPError) || (await size(to)) === undefined) throw error;
        await client.remove(abs(to));
        await client.rename(abs(from), abs(to));
      }
    },
    async delete(path) {
      try {
        await client.remove(abs(path));
      } catch (error) {
        if (error instanceof FTPError && error.code === 550 && (await size(path)) === undefined) return;
        throw error;
      }
    },
    async close() {
      client.close();
    },
  };
}

/**
 * The bytes to send. Workaround: when an empty upload ends its TLS 1.3 data connection right after
 * the handshake, Node closes it without a close_notify, vsftpd logs "DATA connection terminated
 * without SSL shutdown" and the session breaks ("alert decode error", "bad record type"). Measured:
 * ending at once fails 10/10, after 20 ms or more passes 10/10, so an empty file ends 100 ms late.
 */
async function* chunks(source: Buffer | string): AsyncGenerator<Buffer> {
  let bytes = 0;
  const input = typeof source === "string" ? createReadStream(source, { highWaterMark: 1 << 20 }) : [source];
  for await (const chunk of input as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (chunk.length > 0) yield chunk;
  }
  if (bytes === 0) await setTimeout(100);
}

/** FTP replies: 4xx are transient by definition (RFC 959), 530 is a login failure. */
function ftpReplyCode(code: number, phase: Phase) {
  if (code === 530 || (phase === "login" && code >= 500)) return "auth_failed" as const;
  if (code >= 400 && code < 500) return "server_busy" as const;
  if (code === 550 || code === 553) return "permission_denied" as const;
  return phase === "tls" ? ("tls_failed" as const) : ("remote_error" as const);
}

function checkPin(socket: TLSSocket, pin: string): void {
  const actual = socket.getPeerCertificate().fingerprint256;
  if (actual !== pin) {
    throw Object.assign(new Error(`certificate fingerprint ${actual} does not match the pinned ${pin}`), {
      code: "CERT_FINGERPRINT_MISMATCH",
    });
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError([`caFile: cannot read ${file} (${(error as Error).message})`]);
  }
}

function absolute(base: string, path: string): string {
  const joined = path.startsWith("/") ? path : `${base.replace(/\/$/, "")}/${path}`;
  return joined.replace(/\/{2,}/g, "/").replace(/(.)\/$/, "$1");
}
