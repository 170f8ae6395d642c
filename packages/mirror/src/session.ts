/**
 * A mirror session: one batch of files to one target over its ordered transports (FTPS, then SFTP,
 * …). Each transport is opened on first use and its connection kept for the whole batch.
 */
import type { Logger, MirrorTarget } from "@photo-relay/core";
import { describeError, isRetryable } from "@photo-relay/core";
import { type MirrorAttempt, MirrorError } from "./errors.ts";
import { renderPath, publicUrl as toPublicUrl } from "./path-template.ts";
import {
  createTransport,
  parseTransportOptions,
  type TransportDeps,
  type TransportOptions,
} from "./registry.ts";
import type { PutOptions, Transport } from "./transport.ts";

/**
 * A target is one entry of the configuration's `mirror.targets` (core's schema declares it, with
 * transports tried in order, a path template and the public URL prefix); re-exported here so
 * callers of {@link openSession} need not reach into the configuration.
 */
export type { MirrorTarget };

export interface MirrorFile {
  data: Buffer;
  /** File name, e.g. "<id>-web.jpg". */
  name: string;
  date: Date;
  id: string;
  rendition: string;
}

export interface MirrorResult {
  transport: string;
  remotePath: string;
  publicUrl?: string;
  /** Every transport tried for this file, in order; the last one (no `error`) took it. */
  attempts: MirrorAttempt[];
}

export interface MirrorSession {
  put(file: MirrorFile): Promise<MirrorResult>;
  /**
   * Writes `data` at `remotePath`, a path relative to each transport's root (no path template), with
   * the same fallback as `put`. The gallery places its files this way.
   */
  putAt(remotePath: string, data: Buffer, options?: PutOptions): Promise<MirrorResult>;
  /** A file's bytes from the first transport that answers; `undefined` when it has no such file. */
  read(remotePath: string): Promise<Buffer | undefined>;
  /** A file's size from the first transport that answers; `undefined` when it has no such file. */
  stat(remotePath: string): Promise<{ size: number } | undefined>;
  /** Deletes a file through the first transport that answers; a missing file is not an error. */
  remove(remotePath: string): Promise<void>;
  close(): Promise<void>;
}

export interface SessionDeps extends TransportDeps {
  logger?: Pick<Logger, "warn" | "info">;
}

/**
 * Opens transports lazily in order, one connection per session, and falls back to the next one
 * when a transport fails (refused, timed out, TLS or host key refused, login failed, transfer
 * broken). A transport that failed is recorded and skipped for the rest of the session, so each
 * file's `attempts` still name it with its error. When every transport fails, the operation throws
 * a {@link MirrorError}, retryable when any failure was. Options are validated here, up front.
 */
export function openSession(target: MirrorTarget, deps: SessionDeps = {}): MirrorSession {
  const entries = target.transports.map((options) => ({
    options: parseTransportOptions(options),
    transport: undefined as Transport | undefined,
    failure: undefined as { error: { code: string; message: string }; retryable: boolean } | undefined,
  }));

  const nameOf = (options: TransportOptions) => options.name ?? options.type;

  /** Runs `op` on the first transport that has not failed, falling back on failure. */
  const withFallback = async <T>(
    op: (transport: Transport) => Promise<T>,
  ): Promise<{ value: T; transport: string; attempts: MirrorAttempt[] }> => {
    const attempts: MirrorAttempt[] = [];
    for (const entry of entries) {
      const name = nameOf(entry.options);
      if (entry.failure) {
        attempts.push({ transport: name, error: entry.failure.error });
        continue;
      }
      try {
        entry.transport ??= createTransport(entry.options, deps);
        const value = await op(entry.transport);
        attempts.push({ transport: name });
        return { value, transport: name, attempts };
      } catch (error) {
        entry.failure = { error: describeError(error), retryable: isRetryable(error) };
        attempts.push({ transport: name, error: entry.failure.error });
        deps.logger?.warn("mirror transport failed, trying the next one", {
          target: target.name,
          transport: name,
          error: entry.failure.error,
        });
        await entry.transport?.close().catch(() => undefined);
        entry.transport = undefined;
      }
    }
    const retryable = entries.some((e) => e.failure?.retryable);
    throw new MirrorError(target.name, attempts, retryable);
  };

  const putAt = async (remotePath: string, data: Buffer, options?: PutOptions): Promise<MirrorResult> => {
    const { transport, attempts } = await withFallback((t) => t.put(data, remotePath, options));
    return {
      transport,
      remotePath,
      attempts,
      ...(target.publicBaseUrl !== undefined && { publicUrl: toPublicUrl(target.publicBaseUrl, remotePath) }),
    };
  };

  return {
    put: async (file) => putAt(renderPath(target.pathTemplate, file), file.data),
    putAt,
    async read(remotePath) {
      return (await withFallback((t) => t.read(remotePath))).value;
    },
    async stat(remotePath) {
      return (await withFallback((t) => t.stat(remotePath))).value;
    },
    async remove(remotePath) {
      await withFallback((t) => t.remove(remotePath));
    },
    async close() {
      await Promise.all(entries.map((e) => e.transport?.close().catch(() => undefined)));
      for (const e of entries) e.transport = undefined;
    },
  };
}
