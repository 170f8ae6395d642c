/**
 * The part every connection-based transport shares: lazy connect, one connection reused for the
 * batch, reconnect after a lost connection, root prefixing, path checks, error classification.
 * A backend only supplies `connect()` (its {@link RemoteFiles} primitives) and `classify()`.
 */
import { stat } from "node:fs/promises";
import { ValidationError } from "@photo-relay/core";
import { TransportError } from "./errors.ts";
import { atomicPut, joinPath, normaliseRemotePath, type RemoteFiles, type Transport } from "./transport.ts";

/** One open connection; `alive` turns false once the backend noticed it is gone. */
export interface Connection extends RemoteFiles {
  readonly alive: boolean;
  close(): Promise<void>;
}

export interface FileTransportSpec {
  name: string;
  /** Prefix of every remote path ("" for none); absolute ("/srv/www") or relative to the login folder. */
  root: string;
  connect(): Promise<Connection>;
  /** Turns any failure into a {@link TransportError}. */
  classify(error: unknown): TransportError;
}

export function createFileTransport(spec: FileTransportSpec): Transport {
  let current: Connection | undefined;

  const connection = async (): Promise<Connection> => {
    if (current?.alive) return current;
    await current?.close().catch(() => undefined);
    current = undefined;
    current = await spec.connect();
    return current;
  };

  /** Runs `fn` on the connection, classifying its failure and forgetting a connection that died. */
  const run = async <T>(fn: (conn: Connection) => Promise<T>): Promise<T> => {
    try {
      return await fn(await connection());
    } catch (error) {
      throw error instanceof TransportError ? error : spec.classify(error);
    }
  };

  const resolve = (remotePath: string): string => {
    const path = normaliseRemotePath(remotePath);
    if (path === undefined)
      throw new TransportError(spec.name, "invalid_path", `invalid remote path "${remotePath}"`);
    return spec.root === "" ? path : joinPath(spec.root, path);
  };

  /** After a failed write: delete the partial file, reconnecting once if the failure took the connection. */
  const cleanup = async (temp: string): Promise<void> => {
    const conn = current?.alive ? current : await connection();
    await conn.delete(temp);
  };

  return {
    name: spec.name,
    async put(source, remotePath, options) {
      const path = resolve(remotePath);
      const expected = await sourceSize(source);
      return run((conn) =>
        atomicPut(
          conn,
          source,
          path,
          expected,
          {
            cleanup,
            sizeMismatch: (actual) =>
              new TransportError(
                spec.name,
                "size_mismatch",
                `${path}: wrote ${actual ?? "no"} bytes, expected ${expected}`,
              ),
          },
          options,
        ),
      );
    },
    async read(remotePath) {
      const path = resolve(remotePath);
      return run((conn) => conn.read(path));
    },
    async remove(remotePath) {
      const path = resolve(remotePath);
      await run((conn) => conn.delete(path));
    },
    async stat(remotePath) {
      const path = resolve(remotePath);
      const size = await run((conn) => conn.size(path));
      return size === undefined ? undefined : { size };
    },
    async close() {
      const conn = current;
      current = undefined;
      await conn?.close().catch(() => undefined);
    },
  };
}

/** Bytes the put must end up with: a buffer's length, or the local file's size before reading it. */
export async function sourceSize(source: Buffer | string): Promise<number> {
  if (typeof source !== "string") return source.length;
  try {
    return (await stat(source)).size;
  } catch (error) {
    throw new ValidationError("source_unreadable", `cannot read local file ${source}`, { cause: error });
  }
}
