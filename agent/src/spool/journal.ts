/**
 * The spool journal: one small JSON record per spooled file (`journal/<sha256>.json`), always
 * replaced atomically. It is the single source of truth for what is waiting, which multipart upload
 * belongs to it and which parts S3 has acknowledged (ListParts is never trusted; fauxqs lacks it).
 */
import { mkdir, readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { removeStaleTemps, writeFileAtomic } from "../durable-fs.ts";
import type { MediaKind } from "../intake/media-kind.ts";

/** spooled → uploading → verified (HeadObject matched) → archived (originals moved); then the record is removed. */
export type RecordState = "spooled" | "uploading" | "verified" | "archived";

export interface SourceFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export interface FinishedPart {
  n: number;
  etag: string;
  /** base64 MD5 of the part, to check a resumed part against the spool copy. */
  md5: string;
  size: number;
}

export interface JournalRecord {
  v: 1;
  sha256: string;
  kind: MediaKind;
  ext: string;
  contentType: string;
  bytes: number;
  key: string;
  originalName: string;
  /** File mtime of the first source, ISO 8601. */
  capturedAt: string;
  spooledAt: string;
  /** mtime of the spool copy when it was hashed; a later change means it must be spooled again. */
  spoolMtimeMs?: number;
  /** Every inbox file with these bytes; all are archived once the object is verified. */
  sources: SourceFile[];
  state: RecordState;
  upload?: { uploadId: string; partSize: number; parts: FinishedPart[] };
  attempts: number;
}

/** A save that has not started: newer snapshots of the same record replace its own. */
interface Waiting {
  snapshot: string;
  durable: boolean;
  written: Promise<void>;
}

/** States in which S3 holds the verified object (see {@link Journal.save}). */
const AFTER_VERIFICATION = new Set<RecordState>(["verified", "archived"]);

export class Journal {
  readonly dir: string;
  /** Writes to one record are chained so concurrent part completions never interleave. */
  readonly #chains = new Map<string, Promise<void>>();
  /** Per record, the save queued behind the running write, if any. */
  readonly #waiting = new Map<string, Waiting>();

  constructor(spoolDir: string) {
    this.dir = join(spoolDir, "journal");
  }

  /** Creates the folder and drops the temp files of saves a crash cut short. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await removeStaleTemps(this.dir);
  }

  /** All records; unreadable ones (cannot happen with atomic writes, but a disk may rot) are reported, not thrown. */
  async load(onBad: (file: string, error: unknown) => void): Promise<JournalRecord[]> {
    const records: JournalRecord[] = [];
    for (const name of await readdir(this.dir)) {
      if (!name.endsWith(".json") || name.startsWith(".")) continue;
      try {
        records.push(JSON.parse(await readFile(join(this.dir, name), "utf8")) as JournalRecord);
      } catch (error) {
        onBad(name, error);
      }
    }
    return records.sort((a, b) => a.spooledAt.localeCompare(b.spooledAt));
  }

  /**
   * Persists a snapshot of `record`, atomically. It is durable (fsync'd) until S3 verified the
   * object: from then on the photo is safe whatever the spool holds, and a power cut that undoes a
   * later step (archived, removed) only means that step is done again, after a HeadObject.
   */
  save(record: JournalRecord): Promise<void> {
    const { sha256 } = record;
    const snapshot = JSON.stringify(record);
    const durable = !AFTER_VERIFICATION.has(record.state);
    const waiting = this.#waiting.get(sha256);
    if (waiting) {
      // A newer state of the record replaces one still waiting for its turn: one write persists
      // both (two parts finishing together cost one write, not two in a row).
      waiting.snapshot = snapshot;
      waiting.durable ||= durable;
      return waiting.written;
    }
    const next: Waiting = { snapshot, durable, written: Promise.resolve() };
    this.#waiting.set(sha256, next);
    next.written = this.#chain(sha256, () => {
      if (this.#waiting.get(sha256) === next) this.#waiting.delete(sha256);
      return writeFileAtomic(this.#path(sha256), next.snapshot, { durable: next.durable });
    });
    return next.written;
  }

  /** Forgets a record: only ever after its object is verified, or once its spool copy is gone. */
  remove(sha256: string): Promise<void> {
    this.#waiting.delete(sha256); // a save after this one is written after it
    return this.#chain(sha256, () => rm(this.#path(sha256), { force: true }));
  }

  #chain(sha256: string, write: () => Promise<void>): Promise<void> {
    const next = (this.#chains.get(sha256) ?? Promise.resolve()).then(write, write);
    const settled = next.catch(() => undefined);
    this.#chains.set(sha256, settled);
    void settled.then(() => {
      if (this.#chains.get(sha256) === settled) this.#chains.delete(sha256);
    });
    return next;
  }

  #path(sha256: string): string {
    return join(this.dir, `${sha256}.json`);
  }
}
