/**
 * The upload queue: spooled records drain oldest first with bounded concurrency. This is the one
 * place where errors become states: network → offline (and back via the probe), anything else →
 * "failed" with its own backoff. A record ends verified → archived → released → removed.
 */
import { backoffDelay, describeError, isRetryable, PhotoRelayError } from "@photo-relay/core";
import { type ArchiveOptions, archiveSource } from "./archive.ts";
import type { Connectivity } from "./connectivity.ts";
import { SpoolCorruptError } from "./errors.ts";
import type { JournalRecord } from "./journal.ts";
import { type UploadContext, uploadRecord } from "./multipart.ts";
import type { Retention } from "./retention.ts";
import { isAuthError } from "./s3-errors.ts";
import type { KeyedLock } from "./semaphore.ts";
import { uploadSidecar } from "./sidecar.ts";
import { hashFile, type Spool } from "./spool.ts";
import type { FailedEvent, InFlight } from "./types.ts";

export interface DeliveryOptions {
  concurrency: number;
  upload: UploadContext;
  spool: Spool;
  connectivity: Connectivity;
  archive: ArchiveOptions;
  retention: Retention;
  locks: KeyedLock;
  failedBackoff: { baseMs: number; maxMs: number };
  isStopping: () => boolean;
  onDelivered: (record: JournalRecord) => void;
  onFailed: (event: FailedEvent, firstTime: boolean) => void;
  /** The spool copy is unusable: drop the record so the inbox original is spooled again. */
  onCorrupt: (record: JournalRecord) => Promise<void>;
  onArchived: (outcome: Awaited<ReturnType<typeof archiveSource>>, record: JournalRecord) => void;
}

export class Delivery {
  readonly records = new Map<string, JournalRecord>();
  readonly #queue: JournalRecord[] = [];
  readonly #inFlight = new Map<string, InFlight>();
  readonly #notBefore = new Map<string, number>();
  readonly #failures = new Set<string>();
  readonly #unverified = new Set<string>();
  readonly #flying = new Map<string, JournalRecord>();
  readonly #after = new Map<string, JournalRecord>();
  readonly #options: DeliveryOptions;
  #timer: NodeJS.Timeout | undefined;
  #running = new Set<Promise<void>>();

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  get inFlight(): InFlight[] {
    return [...this.#inFlight.values()];
  }

  /**
   * Queues a record. `recovered` (found in the journal at start-up) makes the spool copy be hashed
   * again before use: spooling does not fsync, so only a re-hash proves a copy survived a power cut.
   */
  enqueue(record: JournalRecord, recovered = false): void {
    if (recovered) this.#unverified.add(record.sha256);
    this.records.set(record.sha256, record);
    const flying = this.#flying.get(record.sha256);
    if (flying && flying !== record) {
      // A new record for bytes whose old record is just finishing (or was dropped as corrupt): next.
      this.#after.set(record.sha256, record);
      return;
    }
    if (flying || this.#queue.includes(record)) return;
    const at = this.#queue.findIndex((r) => r.spooledAt > record.spooledAt);
    this.#queue.splice(at < 0 ? this.#queue.length : at, 0, record);
    this.pump();
  }

  /** Starts as many queued records as concurrency, connectivity and per-file backoff allow. */
  pump(): void {
    const { concurrency, connectivity, isStopping } = this.#options;
    if (isStopping() || !connectivity.online) return;
    const now = Date.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#queue.length && this.#inFlight.size < concurrency; ) {
      const record = this.#queue[i] as JournalRecord;
      const notBefore = this.#notBefore.get(record.sha256) ?? 0;
      if (notBefore > now) {
        earliest = Math.min(earliest, notBefore);
        i++;
        continue;
      }
      this.#queue.splice(i, 1);
      this.#start(record);
    }
    clearTimeout(this.#timer);
    if (Number.isFinite(earliest)) this.#timer = setTimeout(() => this.pump(), earliest - now).unref();
  }

  /** Resolves when nothing is in flight (used by stop()). */
  async idle(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }

  #start(record: JournalRecord): void {
    this.#inFlight.set(record.sha256, { name: record.originalName, bytes: record.bytes, sent: 0 });
    this.#flying.set(record.sha256, record);
    const run = this.#deliver(record).then((requeue) => {
      this.#inFlight.delete(record.sha256);
      this.#flying.delete(record.sha256);
      this.#running.delete(run);
      const next = this.#after.get(record.sha256);
      this.#after.delete(record.sha256);
      if (!this.#options.isStopping()) {
        if (next) this.enqueue(next);
        else if (requeue) this.enqueue(record);
      }
      this.pump();
    });
    this.#running.add(run);
  }

  /** Reports upload progress (called by the multipart engine). */
  progress(record: JournalRecord, sent: number): void {
    const entry = this.#inFlight.get(record.sha256);
    if (entry) entry.sent = sent;
  }

  /** Delivers one record; resolves `true` when it must go back into the queue. */
  async #deliver(record: JournalRecord): Promise<boolean> {
    const o = this.#options;
    const spoolPath = o.spool.path(record.sha256, record.ext);
    try {
      const uploading = record.state === "spooled" || record.state === "uploading";
      if (uploading && this.#unverified.has(record.sha256)) {
        if ((await hashFile(spoolPath).catch(() => "")) !== record.sha256)
          throw new SpoolCorruptError(record.key);
        this.#unverified.delete(record.sha256);
      }
      if (uploading) {
        // The caption first: once the photo exists, the pipeline may read its sidecar any moment.
        await uploadSidecar(record.sources, record.sha256, o.upload);
        await uploadRecord(record, spoolPath, o.upload);
      }
      await o.locks.run(record.sha256, async () => {
        if (record.state === "verified") {
          for (const source of record.sources)
            o.onArchived(await archiveSource(source, record.sha256, o.archive), record);
          record.state = "archived";
          await o.upload.journal.save(record);
        }
        await o.retention.release(spoolPath, `${record.sha256}${record.ext}`);
        await o.upload.journal.remove(record.sha256);
        this.records.delete(record.sha256);
      });
      this.#notBefore.delete(record.sha256);
      o.onDelivered(record);
      return false;
    } catch (error) {
      if (o.isStopping()) return false; // aborted by stop(); the journal resumes it next time
      if (error instanceof SpoolCorruptError) {
        this.records.delete(record.sha256);
        this.#report(record, error);
        await o.onCorrupt(record).catch(() => undefined);
        return false;
      }
      if (isRetryable(error) && !(error instanceof PhotoRelayError)) {
        o.connectivity.markOffline(error);
      } else {
        record.attempts++;
        this.#notBefore.set(record.sha256, Date.now() + backoffDelay(record.attempts, o.failedBackoff));
        if (!isRetryable(error)) this.#report(record, error);
      }
      return true;
    }
  }

  #report(record: JournalRecord, error: unknown): void {
    const { code, message } = isAuthError(error)
      ? {
          code: "s3_auth",
          // A 403 on HEAD has no body, so the SDK can only say "Unknown": name the likely cause ourselves.
          message: `S3 refused the request (${describeError(error).code}, HTTP 403): check the credentials and the bucket policy`,
        }
      : describeError(error);
    const first = !this.#failures.has(`${record.sha256}:${code}`);
    this.#failures.add(`${record.sha256}:${code}`);
    const path = record.sources[0]?.path ?? record.originalName;
    this.#options.onFailed({ path, key: record.key, code, reason: message }, first);
  }
}
