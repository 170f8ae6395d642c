import { randomBytes } from "node:crypto";

/**
 * The one interface every mirror backend implements (rclone's `fs.Fs` in miniature). The contract
 * below is what `test/conformance.ts` checks against every transport with real servers.
 */

/**
 * A place files are mirrored to: a local folder, an FTPS or SFTP host, an S3 bucket.
 *
 * Contract:
 * - Remote paths are `/`-separated and relative to the transport's configured `root` (a leading `/`
 *   is ignored); `..` segments are refused with `invalid_path`.
 * - The first operation opens the connection; all later ones reuse it (one connection per batch),
 *   and a connection lost by a failure is reopened by the next operation.
 * - Operations on one transport run one at a time; callers must not overlap them.
 * - Every failure is a {@link TransportError} whose `retryable` says whether trying later can help.
 */
export interface Transport {
  /** The name attempts are recorded under: the options' `name`, else the type ("ftps"). */
  readonly name: string;
  /**
   * Writes a file atomically: the bytes go to a temporary name next to the target (`.<name>.partial`),
   * its size is checked against the source, then it is renamed over `remotePath` (an existing file is
   * replaced). Missing directories are created. On any failure the temporary file is deleted (or, if
   * the connection is gone, overwritten and renamed by the next put of the same path) and a file
   * already at `remotePath` is left untouched. A string is a local file path; a file that changes size
   * while it is read is a `size_mismatch`.
   */
  put(localOrBuffer: Buffer | string, remotePath: string, options?: PutOptions): Promise<{ bytes: number }>;
  /** The file's bytes, or `undefined` when there is no file at that path. */
  read(remotePath: string): Promise<Buffer | undefined>;
  /** Deletes a file; deleting a file that does not exist succeeds. */
  remove(remotePath: string): Promise<void>;
  /** The file's size, or `undefined` when there is no file at that path. */
  stat(remotePath: string): Promise<{ size: number } | undefined>;
  /** Closes the connection; safe to call twice or before any operation. */
  close(): Promise<void>;
}

export interface PutOptions {
  /**
   * `"fixed"` (the default): the temporary name is `.<name>.partial`, so a put retried after a lost
   * connection overwrites, and then renames away, what the failed one left. `"unique"`:
   * `.<name>.<random>.partial`, so writers placing the same path at the same time (two invocations
   * updating one gallery manifest) never write into one temporary file; a put whose connection is
   * lost may then leave its temporary file behind. Transports without temporary files ignore it.
   */
  temporary?: "fixed" | "unique";
}

/** The primitives a remote filesystem offers; {@link atomicPut} builds the put contract on them. */
export interface RemoteFiles {
  /** Creates `dir` and its parents; existing directories are fine. */
  mkdirs(dir: string): Promise<void>;
  /** Writes `source` to `path`, replacing any file there. */
  write(source: Buffer | string, path: string): Promise<void>;
  size(path: string): Promise<number | undefined>;
  /** The file's bytes, or `undefined` when it does not exist. */
  read(path: string): Promise<Buffer | undefined>;
  /** Moves `from` to `to`, replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes `path`; a missing file is not an error. */
  delete(path: string): Promise<void>;
}

/**
 * Upload → size check → rename, deleting the temporary file on failure (rclone's `.partial`
 * pattern). The temporary name is fixed per target path (see {@link PutOptions} for when not), so
 * that a put retried after a lost connection overwrites, and then renames away, whatever the failed
 * put left behind.
 */
export async function atomicPut(
  files: RemoteFiles,
  source: Buffer | string,
  path: string,
  expectedBytes: number,
  hooks: { sizeMismatch: (actual: number | undefined) => Error; cleanup?: (temp: string) => Promise<void> },
  options: PutOptions = {},
): Promise<{ bytes: number }> {
  const { dir, base } = splitPath(path);
  const tag = options.temporary === "unique" ? `.${randomBytes(6).toString("hex")}` : "";
  const temp = joinPath(dir, `.${base}${tag}.partial`);
  if (dir) await files.mkdirs(dir);
  try {
    await files.write(source, temp);
    const actual = await files.size(temp);
    if (actual !== expectedBytes) throw hooks.sizeMismatch(actual);
    await files.rename(temp, path);
    return { bytes: expectedBytes };
  } catch (error) {
    await (hooks.cleanup ?? ((t) => files.delete(t)))(temp).catch(() => undefined);
    throw error;
  }
}

/** Splits a normalised path into its folder ("" at the root) and file name. */
export function splitPath(path: string): { dir: string; base: string } {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? { dir: "", base: path } : { dir: path.slice(0, slash), base: path.slice(slash + 1) };
}

export function joinPath(...parts: string[]): string {
  return parts
    .filter((p) => p !== "")
    .join("/")
    .replace(/\/{2,}/g, "/");
}

/**
 * Normalises a remote path for the contract above: strips leading and repeated slashes and refuses
 * empty names, `.` and `..` segments. Returns `undefined` for an invalid path.
 */
export function normaliseRemotePath(remotePath: string): string | undefined {
  const segments = remotePath.split("/").filter((s) => s !== "");
  if (segments.length === 0 || segments.some((s) => s === "." || s === "..")) return undefined;
  return segments.join("/");
}
