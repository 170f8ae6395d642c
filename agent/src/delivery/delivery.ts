/**
 * The upload queue: spooled records drain oldest first with bounded concurrency. This is the one
 * place where errors become states: network → offline (and back via the probe), anything else →
 * "failed" with its own backoff. A record ends verified → archived → released → removed.
 */
import { rm } from "node:fs/promises";
import { backoffDelay, describeError, isRetryable, PhotoRelayError } from "@photo-relay/core/edge";
import type { KeyedLock } from "../concurrency/keyed-lock.ts";
import { isAuthError, SpoolCorruptError } from "../errors.ts";
import type { AgentBus } from "../events.ts";
import { uploadSidecar } from "../sidecar.ts";
import type { Entry, RecordStore } from "../spool/record-store.ts";
import type { Retention } from "../spool/retention.ts";
import { hashFile, type Spool } from "../spool/spool.ts";
import { type ArchiveOptions, archiveSource } from "./archive.ts";
import type { Connectivity } from "./connectivity.ts";
import { type UploadContext, uploadRecord } from "./multipart.ts";

export interface DeliveryOptions {
  /** Files in flight at once. */
  concurrency: number;
  store: RecordStore;
  spool: Spool;
  bus: AgentBus;
  upload: Omit<UploadContext, "save" | "onProgress">;
  connectivity: Connectivity;
  archive: ArchiveOptions;
  retention: Retention;
  /** Serialises spooling a photo against finishing its delivery. */
  locks: KeyedLock;
  failedBackoff: { baseMs: number; maxMs: number };
  isStopping: () => boolean;
}

export class Delivery {
  readonly #o: DeliveryOptions;
  readonly #upload: UploadContext;
  readonly #running = new Set<Promise<void>>();
  #active = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DeliveryOptions) {
    this.#o = options;
    const { store, bus } = options;
    this.#upload = {
      ...options.upload,
      save: (record) => store.save(record),
      onProgress: (record, sent) => bus.emit("progress", { sha256: record.sha256, sent }),
    };
    // New records and a link that came back both mean there may be work.
    bus.on("spooled", () => this.pump());
    bus.on("online", () => this.pump());
  }

  /** Starts as many waiting records as concurrency, connectivity and per-file backoff allow. */
  pump(): void {
    const { concurrency, connectivity, isStopping, store } = this.#o;
    if (isStopping() || !connectivity.online) return;
    const now = Date.now();
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of store.entries()) {
      if (this.#active >= concurrency) break;
      if (entry.active) continue;
      if (entry.notBefore > now) earliest = Math.min(earliest, entry.notBefore);
      else this.#start(entry);
    }
    clearTimeout(this.#timer);
    if (Number.isFinite(earliest)) this.#timer = setTimeout(() => this.pump(), earliest - now).unref();
  }

  /** Resolves when nothing is in flight (used by stop()). */
  async idle(): Promise<void> {
    clearTimeout(this.#timer);
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }

  #start(entry: Entry): void {
    const { record } = entry;
    entry.active = true;
    this.#active++;
    this.#o.bus.emit("sending", { sha256: record.sha256, name: record.originalName, bytes: record.bytes });
    const run = this.#deliver(entry).then(() => {
      entry.active = false;
      this.#active--;
      this.#running.delete(run);
      this.#o.bus.emit("settled", { sha256: record.sha256 });
      this.pump();
    });
    this.#running.add(run);
  }

  async #deliver(entry: Entry): Promise<void> {
    const o = this.#o;
    const { record } = entry;
    const spoolPath = o.spool.path(record.sha256, record.ext);
    try {
      const uploading = record.state === "spooled" || record.state === "uploading";
      if (uploading && entry.unverified) {
        // Spooling does not fsync, so only a re-hash proves a recovered copy survived a power cut.
        if ((await hashFile(spoolPath).catch(() => "")) !== record.sha256)
          throw new SpoolCorruptError(record.key);
        entry.unverified = false;
      }
      if (uploading) {
        // The caption first: once the photo exists, the pipeline may read its sidecar any moment.
        await uploadSidecar(record.sources, record.sha256, this.#upload);
        await uploadRecord(record, spoolPath, this.#upload);
      }
      await o.locks.run(record.sha256, () => this.#finish(entry, spoolPath));
    } catch (error) {
      if (o.isStopping()) return; // aborted by stop(); the journal resumes it next time
      if (error instanceof SpoolCorruptError) return this.#drop(entry, spoolPath, error);
      if (isRetryable(error) && !(error instanceof PhotoRelayError)) {
        o.connectivity.markOffline(error);
        return;
      }
      record.attempts++;
      entry.notBefore = Date.now() + backoffDelay(record.attempts, o.failedBackoff);
      if (!isRetryable(error)) this.#report(entry, error); // a retryable one comes back by itself
    }
  }

  /** Archives the originals, releases the spool copy and forgets the record (under the photo's lock). */
  async #finish(entry: Entry, spoolPath: string): Promise<void> {
    const { record } = entry;
    const o = this.#o;
    if (record.state === "verified") {
      for (const source of record.sources) {
        const outcome = await archiveSource(source, record.sha256, o.archive);
        if (outcome.result === "gone" || outcome.result === "replaced")
          o.bus.emit("unarchived", { path: source.path, sha256: record.sha256, result: outcome.result });
      }
      record.state = "archived";
      await o.store.save(record);
    }
    await o.retention.release(spoolPath, `${record.sha256}${record.ext}`);
    await o.store.remove(record.sha256);
    // One event per inbox file: the same bytes arriving under two names are two deliveries of one object.
    for (const { path } of record.sources)
      o.bus.emit("delivered", { path, key: record.key, sha256: record.sha256, bytes: record.bytes });
  }

  /** The spool copy is unusable: drop the record so the inbox originals are spooled again. */
  async #drop(entry: Entry, spoolPath: string, error: SpoolCorruptError): Promise<void> {
    const { record } = entry;
    this.#report(entry, error);
    await this.#o.locks
      .run(record.sha256, async () => {
        await rm(spoolPath, { force: true });
        await this.#o.store.remove(record.sha256);
      })
      .catch(() => undefined);
    this.#o.bus.emit("dropped", { paths: record.sources.map((s) => s.path) });
  }

  #report(entry: Entry, error: unknown): void {
    const { record } = entry;
    const { code, message } = isAuthError(error)
      ? {
          code: "s3_auth",
          // A 403 on HEAD has no body, so the SDK can only say "Unknown": name the likely cause ourselves.
          message: `S3 refused the request (${describeError(error).code}, HTTP 403): check the credentials and the bucket policy`,
        }
      : describeError(error);
    const event = {
      path: record.sources[0]?.path ?? record.originalName,
      key: record.key,
      code,
      reason: message,
    };
    const first = !entry.reported.has(code);
    entry.reported.add(code);
    this.#o.bus.emit(first ? "failed" : "retrying", event);
  }
}
