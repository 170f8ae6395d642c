/**
 * The spool is the agent's local backup: a file counts as received only once its bytes sit here
 * (hard link where the volume allows it, else a durable copy) under `data/<sha256><ext>`.
 */
import { createHash } from "node:crypto";
import { link, mkdir, open, readdir, rename, rm, stat, statfs } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sha256OfFile } from "../digest-thread.ts";
import { fsyncDir, isCode, removeStaleTemps, tempPath } from "../durable-fs.ts";
import { SourceChangedError, SpoolFullError } from "../errors.ts";

const CHUNK = 1024 * 1024;

export interface SpoolOptions {
  dir: string;
  /** Try a hard link before copying (default true). */
  link?: boolean | undefined;
  /** Refuse new files when the spool volume would drop below this many free bytes. */
  minFreeBytes?: number | undefined;
}

export interface Prepared {
  sha256: string;
  temp: string;
  linked: boolean;
}

export class Spool {
  readonly dataDir: string;
  readonly #tmpDir: string;
  readonly #link: boolean;
  readonly #minFreeBytes: number;

  constructor(options: SpoolOptions) {
    this.dataDir = join(options.dir, "data");
    this.#tmpDir = join(options.dir, "tmp");
    this.#link = options.link ?? true;
    this.#minFreeBytes = options.minFreeBytes ?? 256 * 1024 * 1024;
  }

  /** Creates the folders and drops half-written copies (and status-file temps) left by a crash. */
  async init(): Promise<void> {
    await removeStaleTemps(dirname(this.dataDir));
    await rm(this.#tmpDir, { recursive: true, force: true });
    await mkdir(this.#tmpDir, { recursive: true });
    await mkdir(this.dataDir, { recursive: true });
  }

  path(sha256: string, ext: string): string {
    return join(this.dataDir, `${sha256}${ext}`);
  }

  /** Free bytes on the spool volume. */
  async freeBytes(): Promise<number> {
    const fs = await statfs(this.dataDir);
    return fs.bavail * fs.bsize;
  }

  /**
   * Copies (or hard-links) `source` to a temporary name in the spool and hashes it on the way.
   * Throws {@link SourceChangedError} when the source changed meanwhile. Follow with {@link commit}.
   * `hashed`: the SHA-256 of `source` taken while it had the `expected` size and mtime (during its
   * settle), used for a hard link instead of reading the file again.
   */
  async prepare(
    source: string,
    expected: { size: number; mtimeMs: number },
    hashed?: Promise<string>,
  ): Promise<Prepared> {
    const free = await this.freeBytes();
    if (free - expected.size < this.#minFreeBytes)
      throw new SpoolFullError(free, expected.size + this.#minFreeBytes);
    const temp = tempPath(this.#tmpDir, "in");
    try {
      const linked = this.#link && (await tryLink(source, temp));
      const sha256 = linked ? await (hashed ?? hashFile(temp)) : await copyHashing(source, temp);
      const after = await stat(source);
      if (after.size !== expected.size || after.mtimeMs !== expected.mtimeMs)
        throw new SourceChangedError(source);
      return { sha256, temp, linked };
    } catch (error) {
      await rm(temp, { force: true });
      if (isCode(error, "ENOSPC")) throw new SpoolFullError(0, expected.size);
      throw error;
    }
  }

  /** Moves a prepared copy to `data/<sha256><ext>` durably (under the photo's lock). */
  async commit(prepared: Prepared, ext: string): Promise<{ path: string; mtimeMs: number }> {
    const target = this.path(prepared.sha256, ext);
    const existing = await stat(target).catch(() => undefined);
    if (existing) {
      // The same bytes are already spooled (and may be being uploaded): keep that copy.
      await rm(prepared.temp, { force: true });
      return { path: target, mtimeMs: existing.mtimeMs };
    }
    await rename(prepared.temp, target);
    await fsyncDir(this.dataDir);
    return { path: target, mtimeMs: (await stat(target)).mtimeMs };
  }

  async discard(prepared: Prepared): Promise<void> {
    await rm(prepared.temp, { force: true });
  }

  /** Removes spool copies that no journal record refers to (a crash between spooling and journaling). */
  async removeOrphans(known: Set<string>): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.dataDir)) {
      const path = join(this.dataDir, name);
      if (known.has(path)) continue;
      await rm(path, { force: true });
      removed.push(name);
    }
    return removed;
  }
}

async function tryLink(source: string, temp: string): Promise<boolean> {
  try {
    await link(source, temp);
    return true;
  } catch (error) {
    if (isCode(error, "EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "EACCES")) return false;
    throw error;
  }
}

/**
 * SHA-256 of a file: the photo id, so the content-derived key and the check that a spool copy is
 * still the file that was received. Read and hashed on the digest thread (`digest-thread.ts`). No
 * fsync here: a process crash keeps the page cache, and after a power cut the agent re-hashes
 * every pending spool copy before using it (see `Delivery.enqueue(…, recovered)`).
 */
export async function hashFile(path: string): Promise<string> {
  return sha256OfFile(path);
}

async function copyHashing(source: string, temp: string): Promise<string> {
  const hash = createHash("sha256");
  const input = await open(source, "r");
  try {
    const output = await open(temp, "wx");
    try {
      const buffer = Buffer.allocUnsafe(CHUNK);
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, CHUNK, null);
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        await output.write(chunk);
      }
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
  return hash.digest("hex");
}
