/**
 * From inbox to spool: chokidar events and a periodic reconciliation scan nominate files (events
 * are only hints), {@link Readiness} decides when each is complete, and the file is spooled and
 * journaled before anything is acknowledged.
 */
import type { Dirent, Stats } from "node:fs";
import { readdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { describeError, originalKey } from "@photo-relay/core";
import { type FSWatcher, watch } from "chokidar";
import type { Ledger } from "./archive.ts";
import { isInside } from "./durable-fs.ts";
import { SourceChangedError, SpoolFullError } from "./errors.ts";
import type { Journal, JournalRecord } from "./journal.ts";
import { isTemporaryName, type MediaKind } from "./media-kind.ts";
import { Readiness, type Ready, type Rejection } from "./readiness.ts";
import { type KeyedLock, Limiter } from "./semaphore.ts";
import { isSidecar } from "./sidecar.ts";
import type { Prepared, Spool } from "./spool.ts";

export interface IntakeOptions {
  inbox: string[];
  /** Folders inside an inbox that are never scanned (processed/, the spool). */
  skip: string[];
  stableMs: number;
  graceMs: number;
  scanIntervalMs: number;
  include?: MediaKind[];
  exclude?: MediaKind[];
  spool: Spool;
  journal: Journal;
  ledger: Ledger;
  /** Serialises spooling a photo against finishing its delivery. */
  locks: KeyedLock;
  /** Records by SHA-256 (shared with delivery). */
  records: Map<string, JournalRecord>;
  onSpooled: (record: JournalRecord, path: string) => void;
  onReject: (rejection: Rejection, firstTime: boolean) => void;
}

export class Intake {
  readonly #o: IntakeOptions;
  readonly #readiness: Readiness;
  /** Inbox files already in the journal, by path → "size:mtime". */
  readonly #known = new Map<string, string>();
  readonly #reported = new Set<string>();
  readonly #hashing = new Limiter(2);
  #watcher: FSWatcher | undefined;
  #timers: NodeJS.Timeout[] = [];

  constructor(options: IntakeOptions) {
    this.#o = options;
    this.#readiness = new Readiness({
      stableMs: options.stableMs,
      graceMs: options.graceMs,
      ...(options.include && { include: options.include }),
      ...(options.exclude && { exclude: options.exclude }),
      isKnown: (path, s) =>
        this.#known.get(path) === `${s.size}:${s.mtimeMs}` || options.ledger.has(path, s.size, s.mtimeMs),
      onReady: (path, stats, media) => this.#spool(path, stats, media),
      onReject: (rejection) => this.#reject(rejection),
    });
  }

  get pending(): number {
    return this.#readiness.pending;
  }

  remember(path: string, size: number, mtimeMs: number): void {
    this.#known.set(path, `${size}:${mtimeMs}`);
  }

  forget(path: string): void {
    this.#known.delete(path);
  }

  hint(path: string, complete = false): void {
    // A caption sidecar travels with its photo (see sidecar.ts), it is not a file of its own.
    if (!this.#skipped(path) && !isSidecar(path)) this.#readiness.hint(resolve(path), complete);
  }

  /** Starts the watcher, runs the first scan and the readiness loop. */
  async start(): Promise<void> {
    const watcher = watch(this.#o.inbox, {
      ignoreInitial: true,
      ignored: (path) => this.#skipped(path) || isTemporaryName(basename(path)),
    });
    watcher.on("add", (path) => this.hint(path));
    watcher.on("change", (path) => this.hint(path));
    watcher.on("error", () => undefined); // a vanished share: the scan keeps us honest
    this.#watcher = watcher;
    await new Promise<void>((ready) => watcher.once("ready", () => ready()));
    await this.scan();
    // Fine-grained enough that a file is picked up soon after its stability window ends.
    const tickMs = Math.min(250, Math.max(25, Math.floor(this.#o.stableMs / 8)));
    let ticking = false;
    this.#timers.push(
      setInterval(() => {
        if (ticking) return;
        ticking = true;
        void this.#readiness.tick().finally(() => {
          ticking = false;
        });
      }, tickMs),
      setInterval(() => void this.scan(), this.#o.scanIntervalMs),
    );
  }

  async stop(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    await this.#watcher?.close();
    await this.#readiness.idle(); // a file being spooled right now finishes and is journaled
  }

  /** Reconciliation: every regular file in every inbox becomes a candidate (known ones drop out at once). */
  async scan(): Promise<void> {
    for (const dir of this.#o.inbox) {
      let entries: Dirent[];
      try {
        entries = await readdir(dir, { recursive: true, withFileTypes: true });
      } catch {
        continue; // missing or unplugged folder; doctor reports it
      }
      for (const entry of entries) {
        if (entry.isFile()) this.hint(join(entry.parentPath, entry.name));
      }
    }
  }

  #skipped(path: string): boolean {
    const full = resolve(path);
    return this.#o.skip.some((dir) => isInside(dir, full));
  }

  async #spool(path: string, stats: Stats, media: Ready): Promise<"done" | "retry"> {
    const o = this.#o;
    let prepared: Prepared;
    try {
      // Two at a time: hashing a burst of 50 files at once would starve the uploads of CPU.
      prepared = await this.#hashing.run(() => o.spool.prepare(path, stats));
    } catch (error) {
      if (error instanceof SourceChangedError) return "retry";
      if ((error as { code?: string }).code === "ENOENT") {
        this.#reject({
          path,
          outcome: "ignored",
          code: "vanished",
          reason: "deleted before it could be spooled",
        });
        return "done";
      }
      const { code, message } = describeError(error);
      this.#reject({ path, outcome: "failed", code, reason: message }, error instanceof SpoolFullError);
      return "retry";
    }
    const record = await o.locks.run(prepared.sha256, async () => {
      const { mtimeMs: spoolMtimeMs } = await o.spool.commit(prepared, media.ext);
      const source = { path, size: stats.size, mtimeMs: stats.mtimeMs };
      const existing = o.records.get(prepared.sha256);
      if (existing) {
        existing.spoolMtimeMs = spoolMtimeMs;
        if (!existing.sources.some((s) => s.path === path)) existing.sources.push(source);
        await o.journal.save(existing);
        return existing;
      }
      const created: JournalRecord = {
        v: 1,
        sha256: prepared.sha256,
        kind: media.kind,
        ext: media.ext,
        contentType: media.contentType,
        bytes: stats.size,
        key: originalKey(prepared.sha256, media.ext),
        originalName: basename(path),
        capturedAt: new Date(stats.mtimeMs).toISOString(),
        spooledAt: new Date().toISOString(),
        spoolMtimeMs,
        sources: [source],
        state: "spooled",
        attempts: 0,
      };
      o.records.set(created.sha256, created);
      await o.journal.save(created); // the acknowledgement: from here on a crash loses nothing
      return created;
    });
    this.remember(path, stats.size, stats.mtimeMs);
    this.#reported.delete(`${path}:spool_full`);
    o.onSpooled(record, path);
    return "done";
  }

  /** Reports once per path and code, so a file retried every tick does not flood the log. */
  #reject(rejection: Rejection, retrying = false): void {
    const id = `${rejection.path}:${rejection.code}`;
    const first = !this.#reported.has(id);
    this.#reported.add(id);
    if (!retrying || first) this.#o.onReject(rejection, first);
  }
}
