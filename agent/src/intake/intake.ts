/**
 * From inbox to spool: watcher events and a periodic reconciliation scan nominate files (events
 * are only hints), {@link Readiness} decides when each is complete, and the file is spooled and
 * journaled (through the record store) before anything is acknowledged.
 */
import type { Dirent, Stats } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import { basename, join, relative, resolve, sep } from "node:path";
import { describeError, originalKey, type RejectionCode } from "@photo-relay/core/edge";
import { type FSWatcher, watch } from "chokidar";
import type { KeyedLock } from "../concurrency/keyed-lock.ts";
import { Limiter } from "../concurrency/limiter.ts";
import { isCode, isInside } from "../durable-fs.ts";
import { SourceChangedError, SpoolFullError } from "../errors.ts";
import type { AgentBus } from "../events.ts";
import { hasCompanionName, isCompanion } from "../sidecar.ts";
import type { JournalRecord } from "../spool/journal.ts";
import type { Ledger } from "../spool/ledger.ts";
import type { RecordStore } from "../spool/record-store.ts";
import { hashFile, type Prepared, type Spool } from "../spool/spool.ts";
import { type CloseWatch, startCloseWatch } from "./close-watch.ts";
import { isIgnoredFolder, isIgnoredName } from "./ignored-names.ts";
import type { MediaKind } from "./media-kind.ts";
import { type Hint, Readiness, type Ready, type Rejection } from "./readiness.ts";

export interface IntakeOptions {
  inbox: string[];
  /** Folders inside an inbox that are never scanned (processed/, the spool). */
  skip: string[];
  stableMs: number;
  graceMs: number;
  /** Larger files are refused (`too_large`). */
  maxFileBytes: number;
  scanIntervalMs: number;
  include?: MediaKind[] | undefined;
  exclude?: MediaKind[] | undefined;
  spool: Spool;
  store: RecordStore;
  ledger: Ledger;
  bus: AgentBus;
  /** Serialises spooling a photo against finishing its delivery. */
  locks: KeyedLock;
}

/** Readiness codes that make a file a refused, reported item (vanished and excluded ones are not). */
const REPORTED: Record<string, RejectionCode | undefined> = {
  incomplete: "incomplete",
  unreadable: "unreadable",
  unsupported: "unknown_kind",
  too_large: "too_large",
  empty: "empty",
};

export class Intake {
  readonly #o: IntakeOptions;
  readonly #readiness: Readiness;
  readonly #reported = new Set<string>();
  readonly #hashing = new Limiter(2);
  /** SHA-256s taken while closed files settled, with the size and mtime they were taken at. */
  readonly #early = new Map<string, { size: number; mtimeMs: number; sha256: Promise<string> }>();
  #watcher: FSWatcher | undefined;
  #closeWatch: CloseWatch | undefined;
  #timers: NodeJS.Timeout[] = [];
  #stopped = false;

  constructor(options: IntakeOptions) {
    this.#o = options;
    const { store, ledger } = options;
    this.#readiness = new Readiness({
      stableMs: options.stableMs,
      graceMs: options.graceMs,
      maxFileBytes: options.maxFileBytes,
      ...(options.include && { include: options.include }),
      ...(options.exclude && { exclude: options.exclude }),
      isKnown: (path, s) => store.knows(path, s.size, s.mtimeMs) || ledger.has(path, s.size, s.mtimeMs),
      companion: { is: isCompanion, mayBe: hasCompanionName },
      onReady: (path, stats, media) => this.#spool(path, stats, media),
      onSettling: (path, stats) => this.#hashEarly(path, stats),
      onReject: (rejection) => this.#reject(rejection),
    });
    // The spool copy of these files was unusable and is gone: take them in again.
    options.bus.on("dropped", ({ paths }) => {
      for (const path of paths) this.hint(path);
    });
  }

  hint(path: string, how: Hint = "seen"): void {
    // A sidecar travels with its photo (see sidecar.ts), it is not a file of its own; system junk
    // is nobody's photo and nothing to report.
    if (this.#stopped || this.#skipped(path) || this.#ignored(path) || isCompanion(path)) return;
    this.#readiness.hint(resolve(path), how);
  }

  /** Starts the watchers, runs the first scan and the readiness loop. */
  async start(): Promise<void> {
    this.#closeWatch = await startCloseWatch(this.#o.inbox, {
      writing: (path) => this.hint(path, "writing"),
      closed: (path) => this.hint(path, "closed"),
      folder: (path) => void this.#scanFolder(path),
      overflow: () => void this.scan(),
    });
    const watcher = watch(this.#o.inbox, {
      ignoreInitial: true,
      ignored: (path) => this.#skipped(path) || isIgnoredName(basename(path)),
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
    // A scan still reading a folder finds nothing to do when it resumes: no hint, no watch.
    this.#stopped = true;
    for (const timer of this.#timers) clearInterval(timer);
    await this.#watcher?.close();
    await this.#closeWatch?.close();
    await this.#readiness.idle(); // a file being spooled right now finishes and is journaled
  }

  /** Reconciliation: every regular file in every inbox becomes a candidate (known ones drop out at once). */
  async scan(): Promise<void> {
    for (const dir of this.#o.inbox) await this.#scanFolder(dir);
  }

  async #scanFolder(dir: string): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { recursive: true, withFileTypes: true });
    } catch {
      return; // missing or unplugged folder; doctor reports it
    }
    if (this.#stopped) return;
    if (!this.#skipped(dir)) this.#closeWatch?.add(dir);
    for (const entry of entries) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile()) this.hint(path);
      else if (entry.isDirectory() && !this.#skipped(path)) this.#closeWatch?.add(path);
    }
  }

  /** System junk, or a file inside a system folder of the inbox (`.Trashes/`, `$RECYCLE.BIN/`). */
  #ignored(path: string): boolean {
    const full = resolve(path);
    if (isIgnoredName(basename(full))) return true;
    const root = this.#o.inbox.find((dir) => isInside(dir, full));
    const folders = root ? relative(root, full).split(sep).slice(0, -1) : [];
    return folders.some(isIgnoredFolder);
  }

  #skipped(path: string): boolean {
    const full = resolve(path);
    return this.#o.skip.some((dir) => isInside(dir, full));
  }

  /**
   * Hashes a closed file during its settle, so the key is known when the settle ends (a 75 MB NEF:
   * ≈ 50 ms). Used only if the file is taken with the size and mtime it was hashed at.
   */
  #hashEarly(path: string, stats: Stats): void {
    const known = this.#early.get(path);
    if (known?.size === stats.size && known.mtimeMs === stats.mtimeMs) return;
    const sha256 = this.#hashing.run(() => hashFile(path));
    sha256.catch(() => undefined); // a file gone meanwhile: the spool finds out itself
    this.#early.set(path, { size: stats.size, mtimeMs: stats.mtimeMs, sha256 });
  }

  async #spool(path: string, stats: Stats, media: Ready): Promise<"done" | "retry"> {
    const o = this.#o;
    const early = this.#early.get(path);
    this.#early.delete(path);
    const hashed = early?.size === stats.size && early.mtimeMs === stats.mtimeMs ? early.sha256 : undefined;
    let prepared: Prepared;
    try {
      // Two at a time: hashing a burst of 50 files at once would starve the uploads of CPU. (A hash
      // taken during the settle already waited its turn.)
      prepared = hashed
        ? await o.spool.prepare(path, stats, hashed)
        : await this.#hashing.run(() => o.spool.prepare(path, stats));
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
      // A full spool is retried until it has room (reported once; again after the next success).
      const { code, message } = describeError(error);
      this.#reject({ path, outcome: "failed", code, reason: message });
      return "retry";
    }
    const source = { path, size: stats.size, mtimeMs: stats.mtimeMs };
    try {
      await o.locks.run(prepared.sha256, async () => {
        const { path: copy, mtimeMs: spoolMtimeMs } = await o.spool.commit(prepared, media.ext);
        const existing = o.store.get(prepared.sha256);
        if (existing) return o.store.addSource(existing, source, spoolMtimeMs);
        await o.store.add(newRecord(prepared.sha256, media, source, spoolMtimeMs)).catch(async (error) => {
          await rm(copy, { force: true }); // no record refers to it: give its room back
          throw error;
        });
      });
    } catch (error) {
      await o.spool.discard(prepared);
      // The disk filled between the copy and its journal record (ENOSPC): the file was not received,
      // so, as with a full spool before the copy, it stays in the inbox and is taken once there is room.
      const failure = isCode(error, "ENOSPC") ? new SpoolFullError(0, stats.size) : error;
      const { code, message } = describeError(failure);
      this.#reject({ path, outcome: "failed", code, reason: message });
      return "retry";
    }
    this.#reported.delete(`${path}:spool_full`);
    o.bus.emit("spooled", { path, sha256: prepared.sha256, bytes: stats.size, kind: media.kind });
    return "done";
  }

  /** Reports once per path and code, so a file retried every tick does not flood the log. */
  #reject(rejection: Rejection): void {
    this.#early.delete(rejection.path);
    const id = `${rejection.path}:${rejection.code}`;
    if (this.#reported.has(id)) return;
    this.#reported.add(id);
    const { outcome, ...event } = rejection;
    this.#o.bus.emit(outcome, event);
    const code = REPORTED[rejection.code];
    if (code) this.#o.bus.emit("refused", { path: rejection.path, code, reason: rejection.reason });
  }
}

function newRecord(
  sha256: string,
  media: Ready,
  source: { path: string; size: number; mtimeMs: number },
  spoolMtimeMs: number,
): JournalRecord {
  return {
    v: 1,
    sha256,
    kind: media.kind,
    ext: media.ext,
    contentType: media.contentType,
    bytes: source.size,
    key: originalKey(sha256, media.ext),
    originalName: basename(source.path),
    capturedAt: new Date(source.mtimeMs).toISOString(),
    spooledAt: new Date().toISOString(),
    spoolMtimeMs,
    sources: [source],
    state: "spooled",
    attempts: 0,
  };
}
