/**
 * What happens to a spool copy after its object is verified: deleted at once (the default), or
 * kept for `keepDays`, pruned oldest first earlier when the spool volume falls below `minFreeBytes`.
 */
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { describeError, type Logger } from "@photo-relay/core/edge";
import { fsyncDir, isCode } from "../durable-fs.ts";

export interface RetentionOptions {
  /** Keep delivered spool copies this many days (0 = delete once verified). */
  keepDays?: number;
  /** Prune kept copies, oldest first, while the spool volume has less free space than this. */
  minFreeBytes?: number;
}

export class Retention {
  readonly #dir: string;
  readonly #keepMs: number;
  readonly #minFree: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(spoolDir: string, options: RetentionOptions = {}) {
    this.#dir = join(spoolDir, "kept");
    this.#keepMs = (options.keepDays ?? 0) * 86_400_000;
    this.#minFree = options.minFreeBytes ?? 0;
  }

  /** Called once the object is verified and the originals are archived. */
  async release(spoolPath: string, name: string, now = Date.now()): Promise<void> {
    if (this.#keepMs <= 0) {
      await rm(spoolPath, { force: true });
      return;
    }
    await mkdir(this.#dir, { recursive: true });
    try {
      // The delivery time lives in the name: a hard-linked copy shares its mtime with the original.
      await rename(spoolPath, join(this.#dir, `${now}-${name}`));
    } catch (error) {
      if (!isCode(error, "ENOENT")) throw error; // already released before a crash
    }
    await fsyncDir(this.#dir);
  }

  /** Deletes kept copies that are too old, then more while free space is short. */
  async prune(freeBytes: () => Promise<number>, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = (await readdir(this.#dir)).sort();
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const deliveredAt = Number(name.split("-")[0]);
      const expired = now - deliveredAt > this.#keepMs;
      if (!expired && (await freeBytes()) >= this.#minFree) break;
      await rm(join(this.#dir, name), { force: true });
      removed++;
    }
    return removed;
  }

  /** Prunes now and then every `max(60 s, intervalMs)`, logging what it removed. */
  startPruning(freeBytes: () => Promise<number>, logger: Logger, intervalMs: number): void {
    const prune = () =>
      void this.prune(freeBytes)
        .then((removed) => removed && logger.info("pruned kept spool copies", { removed }))
        .catch((error: unknown) => logger.warn("retention prune failed", { error: describeError(error) }));
    prune();
    this.#timer = setInterval(prune, Math.max(60_000, intervalMs)).unref();
  }

  stopPruning(): void {
    clearInterval(this.#timer);
  }
}
