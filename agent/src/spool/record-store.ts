/**
 * The one owner of the agent's records: every spooled photo with its journal record and the state
 * its delivery needs (backoff, reported failures, whether it is being sent). Intake adds records
 * and sources, delivery reads and removes them; both go through here, and every change is
 * persisted to the journal before it counts.
 */
import type { Journal, JournalRecord, SourceFile } from "./journal.ts";

export interface Entry {
  readonly record: JournalRecord;
  /** Recovered from the journal at start-up: hash the spool copy again before trusting it. */
  unverified: boolean;
  /** A failed delivery waits until this time (ms since the epoch) before its next try. */
  notBefore: number;
  /** Failure codes already reported for this photo (each is reported once). */
  readonly reported: Set<string>;
  /** Being delivered right now. */
  active: boolean;
}

const fingerprint = (size: number, mtimeMs: number) => `${size}:${mtimeMs}`;

export class RecordStore {
  readonly #journal: Journal;
  /** By SHA-256, in spool order (records are added as they are spooled; recovery adds them sorted). */
  readonly #entries = new Map<string, Entry>();
  /** Inbox files whose bytes are already spooled: path → size:mtime. */
  readonly #sources = new Map<string, string>();

  constructor(journal: Journal) {
    this.#journal = journal;
  }

  /** Loads the journal (oldest first); every recovered record is marked unverified. */
  async load(onBad: (file: string, error: unknown) => void): Promise<JournalRecord[]> {
    await this.#journal.init();
    const records = await this.#journal.load(onBad);
    for (const record of records) this.#track(record, true);
    return records;
  }

  get(sha256: string): Entry | undefined {
    return this.#entries.get(sha256);
  }

  /** Entries in spool order (oldest first). */
  entries(): IterableIterator<Entry> {
    return this.#entries.values();
  }

  /** Whether this exact inbox file (path, size, mtime) is already spooled. */
  knows(path: string, size: number, mtimeMs: number): boolean {
    return this.#sources.get(path) === fingerprint(size, mtimeMs);
  }

  waiting(): { files: number; bytes: number } {
    let bytes = 0;
    for (const { record } of this.#entries.values()) bytes += record.bytes;
    return { files: this.#entries.size, bytes };
  }

  /**
   * Adds a new record and makes it durable: the acknowledgement that a crash loses nothing. When
   * the journal cannot be written (a full disk), the record is forgotten again and the error thrown:
   * the inbox file was not received.
   */
  async add(record: JournalRecord): Promise<Entry> {
    const entry = this.#track(record, false);
    try {
      await this.#journal.save(record);
    } catch (error) {
      this.#untrack(record.sha256);
      throw error;
    }
    return entry;
  }

  /** The same bytes arrived under another name (or again under the same one). */
  async addSource(entry: Entry, source: SourceFile, spoolMtimeMs: number): Promise<void> {
    const { record } = entry;
    record.spoolMtimeMs = spoolMtimeMs;
    if (!record.sources.some((s) => s.path === source.path)) record.sources.push(source);
    this.#sources.set(source.path, fingerprint(source.size, source.mtimeMs));
    await this.#journal.save(record);
  }

  /** Persists the record's current state. */
  save(record: JournalRecord): Promise<void> {
    return this.#journal.save(record);
  }

  /** Forgets a record (delivered, or dropped as corrupt) and its journal file. */
  async remove(sha256: string): Promise<void> {
    this.#untrack(sha256);
    await this.#journal.remove(sha256);
  }

  #untrack(sha256: string): void {
    const entry = this.#entries.get(sha256);
    this.#entries.delete(sha256);
    for (const s of entry?.record.sources ?? []) {
      // The path may hold other bytes by now, spooled under another record: keep that one's entry.
      if (this.knows(s.path, s.size, s.mtimeMs)) this.#sources.delete(s.path);
    }
  }

  #track(record: JournalRecord, unverified: boolean): Entry {
    const entry: Entry = { record, unverified, notBefore: 0, reported: new Set(), active: false };
    this.#entries.set(record.sha256, entry);
    for (const s of record.sources) this.#sources.set(s.path, fingerprint(s.size, s.mtimeMs));
    return entry;
  }
}
