/**
 * SFTP over ssh2-sftp-client. The host key is always pinned (there is no "accept any host" option).
 * Uploads pipeline their WRITE requests in offset order like OpenSSH's sftp (`sftp-write.ts`), not
 * fastPut's scattered parallel writes that some servers corrupt (research §7); the size is checked
 * before the rename. Nagle is off (research local-servers §4).
 */
import { createHash } from "node:crypto";
import type { SFTPWrapper, Client as SshClient } from "ssh2";
import SftpClient from "ssh2-sftp-client";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import { describeFailure, networkCode, type Phase, transportError } from "../classify.ts";
import type { TransportError, TransportErrorCode } from "../errors.ts";
import { type Connection, createFileTransport } from "../file-transport.ts";
import { oneOf, readSecret } from "../secrets.ts";
import type { Transport } from "../transport.ts";
import { pipelinedWrite } from "./sftp-write.ts";

export const sftpOptionsSchema = z
  .object({
    type: z.literal("sftp"),
    name: z.optional(z.string().check(z.minLength(1))),
    host: z.string().check(z.minLength(1)),
    port: z._default(z.int().check(z.minimum(1), z.maximum(65_535)), 22),
    user: z.string().check(z.minLength(1)),
    password: z.optional(z.string()),
    passwordFile: z.optional(z.string()),
    /** OpenSSH or PEM private key text. */
    privateKey: z.optional(z.string()),
    privateKeyFile: z.optional(z.string()),
    passphrase: z.optional(z.string()),
    /** The server's host key as `ssh-keygen -lf` prints it: `SHA256:` + unpadded base64. */
    hostKeyFingerprint: z
      .string()
      .check(z.regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "must look like SHA256:<43 base64 chars>")),
    root: z._default(z.string(), ""),
    timeoutMs: z._default(z.int().check(z.positive()), 30_000),
  })
  .check(
    z.refine((o) => oneOf(o, "password") && oneOf(o, "privateKey"), {
      message: "give at most one of password/passwordFile and of privateKey/privateKeyFile",
      path: ["password"],
    }),
    z.refine(
      (o) => [o.password, o.passwordFile, o.privateKey, o.privateKeyFile].some((v) => v !== undefined),
      {
        message: "give a password or a private key",
        path: ["password"],
      },
    ),
  );

export type SftpOptions = z.infer<typeof sftpOptionsSchema>;

/** OpenSSH's fingerprint of a raw host key blob. */
export function sshFingerprint(key: Buffer): string {
  return `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`;
}

export function createSftpTransport(options: SftpOptions): Transport {
  const name = options.name ?? "sftp";
  const password = readSecret("password", options.password, options.passwordFile);
  const privateKey = readSecret("privateKey", options.privateKey, options.privateKeyFile);
  let phase: Phase = "connect";
  let offeredKey: string | undefined;

  const classify = (error: unknown): TransportError => {
    const code = sftpCode(error, phase);
    const message =
      code === "host_key_mismatch"
        ? `host key ${offeredKey} of ${options.host}:${options.port} is not the pinned ${options.hostKeyFingerprint}`
        : describeFailure(options.host, options.port, code, error);
    return transportError(name, code, message, error);
  };

  const connect = async (): Promise<Connection> => {
    let alive = true;
    const dead = () => {
      alive = false;
    };
    // Own listeners: the library's defaults print to the console on every close.
    const sftp = new SftpClient(name, { error: dead, end: dead, close: dead });
    phase = "connect";
    await sftp.connect({
      host: options.host,
      port: options.port,
      username: options.user,
      readyTimeout: options.timeoutMs,
      // readyTimeout only covers the handshake; keepalives notice a host that stops answering later.
      keepaliveInterval: Math.ceil(options.timeoutMs / 3),
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        offeredKey = sshFingerprint(key);
        return offeredKey === options.hostKeyFingerprint;
      },
      ...(password !== undefined && { password }),
      ...(privateKey !== undefined && { privateKey }),
      ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
    });
    // Nagle + delayed ACK cap sequential put() at ~2 MiB/s on loopback (research local-servers §4).
    (sftp as unknown as { client: SshClient }).client.setNoDelay(true);
    phase = "transfer";
    const root = options.root.startsWith("/") ? options.root : `${await sftp.cwd()}/${options.root}`;
    return sftpConnection(sftp, root.replace(/\/+$/, ""), () => alive);
  };

  return createFileTransport({ name, root: "", connect, classify });
}

function sftpConnection(sftp: SftpClient, root: string, alive: () => boolean): Connection {
  const made = new Set<string>();
  const abs = (path: string) => `${root}/${path}`;
  const size = async (path: string): Promise<number | undefined> => {
    try {
      return (await sftp.stat(abs(path))).size;
    } catch (error) {
      if ((error as { code?: unknown }).code === "ENOENT") return undefined;
      throw error;
    }
  };
  return {
    get alive() {
      return alive() && (sftp as unknown as { sftp?: unknown }).sftp !== undefined;
    },
    async mkdirs(dir) {
      if (made.has(dir)) return;
      await sftp.mkdir(abs(dir), true);
      made.add(dir);
    },
    async write(source, path) {
      await pipelinedWrite((sftp as unknown as { sftp: SFTPWrapper }).sftp, abs(path), source);
    },
    size,
    async read(path) {
      const bytes = await size(path);
      if (bytes === undefined || bytes === 0) return bytes === 0 ? Buffer.alloc(0) : undefined;
      return (await sftp.get(abs(path))) as Buffer; // no destination: the library collects a Buffer
    },
    async rename(from, to) {
      try {
        await sftp.posixRename(abs(from), abs(to)); // atomic replace (OpenSSH ≥ 4.8 extension)
      } catch (error) {
        if (!/not support/i.test(String((error as Error).message))) throw error;
        // Plain SFTP rename refuses an existing target, so this fallback is not atomic.
        if ((await size(to)) !== undefined) await sftp.delete(abs(to));
        await sftp.rename(abs(from), abs(to));
      }
    },
    async delete(path) {
      await sftp.delete(abs(path), true);
    },
    async close() {
      await sftp.end();
    },
  };
}

/** ssh2 reports authentication and host-key failures only in the message; SFTP status 3 is EACCES. */
function sftpCode(error: unknown, phase: Phase): TransportErrorCode {
  const e = error as { code?: unknown; message?: unknown; level?: unknown };
  const message = String(e.message ?? "");
  if (/Host denied|verification failed/i.test(message)) return "host_key_mismatch";
  if (/authentication methods failed|authentication/i.test(message)) return "auth_failed";
  if (e.code === 3 || e.code === "EACCES" || /permission denied/i.test(message)) return "permission_denied";
  if (phase === "connect" && /handshake|kex|negotiat/i.test(message)) return "connect_failed";
  const network = networkCode(error, phase === "tls" ? "connect" : phase);
  if (network) return network;
  // ssh2 fails requests still pending when the channel closes with "No response from server".
  if (/Unexpected (end|close)|No SFTP connection|not connected|No response from server/i.test(message)) {
    return "connection_lost";
  }
  return "remote_error";
}
