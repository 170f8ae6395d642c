/**
 * `startAgent`: wires intake (watch → ready → spool → journal) to delivery (multipart → verify →
 * archive → release) and recovers whatever a crash left in the journal.
 */
import { EventEmitter } from "node:events";
import { rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { createLogger, describeError } from "@photo-relay/core";
import { Ledger } from "./archive.ts";
import { Connectivity } from "./connectivity.ts";
import { Delivery } from "./delivery.ts";
import { Intake } from "./intake.ts";
import { Journal, type JournalRecord } from "./journal.ts";
import { Retention } from "./retention.ts";
import { BufferPool, KeyedLock } from "./semaphore.ts";
import { Spool } from "./spool.ts";
import { StatusWriter } from "./status-file.ts";
import type { Agent, AgentEvents, AgentOptions, AgentStatus } from "./types.ts";

const MiB = 1024 * 1024;

/**
 * Starts the edge agent. Nothing is acknowledged (archived, counted as delivered) before its bytes
 * are in the spool with a journal record, and before HeadObject confirmed the object in S3.
 * @example
 * const agent = startAgent({ inbox: ["./inbox"], spoolDir: "./spool", s3: { client, bucket: "media" } });
 * agent.on("delivered", (e) => console.log(e.key));
 * await agent.ready;
 */
export function startAgent(options: AgentOptions): Agent {
  const logger = options.logger ?? createLogger("photo-relay-agent");
  const inbox = options.inbox.map((dir) => resolve(dir));
  const first = inbox[0];
  if (!first) throw new Error("startAgent: at least one inbox folder is required");
  const spoolDir = resolve(options.spoolDir);
  const processedDir = resolve(options.processedDir ?? join(dirname(first), "processed"));
  const partSize = options.partSizeBytes ?? 8 * MiB;
  const concurrency = options.concurrency ?? 4;
  const stableMs = options.stableMs ?? 2000;
  const { client, bucket } = options.s3;
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;

  const events = new EventEmitter();
  // Every event also refreshes status.json, so `photo-relay status` never lags behind the view.
  const emit = (event: keyof AgentEvents, payload: unknown) => {
    events.emit(event, payload);
    statusWriter.touch();
  };
  const stopper = new AbortController();
  const counters = { delivered: 0, ignored: 0, failed: 0 };
  let lastError: AgentStatus["lastError"];
  const journal = new Journal(spoolDir);
  const spool = new Spool({
    dir: spoolDir,
    link: options.linkIntoSpool ?? true,
    ...(options.spoolMinFreeBytes !== undefined && { minFreeBytes: options.spoolMinFreeBytes }),
  });
  const ledger = new Ledger(spoolDir);
  const retention = new Retention(spoolDir, options.retention);
  const locks = new KeyedLock();

  // Every request carries the stop signal and a timeout, so a black-holed connection is noticed.
  const send = ((command: Parameters<S3Client["send"]>[0]) =>
    client.send(command, {
      abortSignal: AbortSignal.any([stopper.signal, AbortSignal.timeout(requestTimeoutMs)]),
    })) as S3Client["send"];

  const connectivity = new Connectivity({
    probe: async () => {
      await send(new HeadBucketCommand({ Bucket: bucket }));
    },
    backoff: { baseMs: 500, maxMs: 30_000, ...options.backoff },
    signal: stopper.signal,
    onChange: (online, error) => {
      if (online) {
        logger.info("S3 reachable again; draining the spool", { waiting: status().waiting });
        emit("online", {});
        delivery.pump();
      } else {
        lastError = describeError(error);
        logger.warn("S3 unreachable; spooling and retrying with backoff", { error: lastError });
        emit("offline", { error: lastError });
      }
    },
  });

  const delivery: Delivery = new Delivery({
    // Twice as many files as part slots, so one file's HEAD/Complete overlaps another's parts.
    concurrency: concurrency * 2,
    spool,
    connectivity,
    retention,
    locks,
    archive: { mode: options.archive ?? "move", processedDir, inbox, ledger },
    failedBackoff: { baseMs: 5000, maxMs: 300_000, ...options.failedBackoff },
    isStopping: () => stopper.signal.aborted,
    upload: {
      client,
      bucket,
      journal,
      partSize,
      parts: new BufferPool(concurrency, partSize),
      send,
      onProgress: (record, sent) => delivery.progress(record, sent),
    },
    onDelivered: (record) => {
      // One event per inbox file: the same bytes arriving under two names are two deliveries of one object.
      for (const { path } of record.sources) {
        counters.delivered++;
        logger.info("delivered", { photoId: record.sha256, key: record.key, path, bytes: record.bytes });
        emit("delivered", { path, key: record.key, sha256: record.sha256, bytes: record.bytes });
      }
    },
    onFailed: (event, firstTime) => {
      lastError = { code: event.code, message: event.reason };
      logger.error("upload failed; will retry later", { ...event });
      if (!firstTime) return;
      counters.failed++;
      emit("failed", event);
    },
    onArchived: (outcome, record) => {
      if (outcome.result !== "moved" && outcome.result !== "kept") {
        logger.warn(`original ${outcome.result} before archiving`, {
          photoId: record.sha256,
          path: outcome.source.path,
        });
      }
      intake.forget(outcome.source.path);
    },
    onCorrupt: async (record) => {
      await rm(spool.path(record.sha256, record.ext), { force: true });
      await journal.remove(record.sha256);
      for (const source of record.sources) {
        intake.forget(source.path);
        intake.hint(source.path);
      }
    },
  });

  const intake: Intake = new Intake({
    inbox,
    skip: [processedDir, spoolDir],
    stableMs,
    graceMs: options.graceMs ?? Math.max(30_000, 5 * stableMs),
    scanIntervalMs: options.scanIntervalMs ?? 10_000,
    ...(options.include && { include: options.include }),
    ...(options.exclude && { exclude: options.exclude }),
    spool,
    journal,
    ledger,
    records: delivery.records,
    locks,
    onSpooled: (record, path) => {
      logger.info("spooled", { photoId: record.sha256, path, bytes: record.bytes, kind: record.kind });
      delivery.enqueue(record);
    },
    onReject: (rejection, firstTime) => {
      if (!firstTime) return;
      const { outcome, ...event } = rejection;
      counters[outcome]++;
      if (outcome === "failed") lastError = { code: event.code, message: event.reason };
      logger[outcome === "failed" ? "error" : "warn"](`${outcome}: ${event.reason}`, { ...event });
      emit(outcome, event);
    },
  });

  function status(): AgentStatus {
    let bytes = 0;
    for (const record of delivery.records.values()) bytes += record.bytes;
    return {
      online: connectivity.online,
      waiting: { files: delivery.records.size, bytes },
      ...counters,
      inFlight: delivery.inFlight.map((f) => ({ ...f })),
      ...(lastError && { lastError }),
    };
  }

  const statusWriter = new StatusWriter(spoolDir, status);

  async function recover(): Promise<void> {
    await journal.init();
    await spool.init();
    await ledger.load();
    const records = await journal.load((file, error) =>
      logger.error("unreadable journal record", { file, error }),
    );
    const referenced = new Set(records.map((r) => spool.path(r.sha256, r.ext)));
    const orphans = await spool.removeOrphans(referenced);
    if (orphans.length) logger.info("removed spool copies without a journal record", { orphans });
    for (const record of records) recoverRecord(record);
    if (records.length) logger.info("resuming from the journal", { files: records.length });
  }

  function recoverRecord(record: JournalRecord): void {
    for (const source of record.sources) intake.remember(source.path, source.size, source.mtimeMs);
    delivery.enqueue(record, true);
  }

  let pruneTimer: NodeJS.Timeout | undefined;
  const ready = (async () => {
    await recover();
    await intake.start();
    statusWriter.start();
    const prune = () =>
      void retention
        .prune(() => spool.freeBytes())
        .then((removed) => removed && logger.info("pruned kept spool copies", { removed }))
        .catch((error: unknown) => logger.warn("retention prune failed", { error: describeError(error) }));
    prune();
    pruneTimer = setInterval(prune, Math.max(60_000, options.scanIntervalMs ?? 0)).unref();
    logger.info("agent started", { inbox, spoolDir, processedDir, bucket, partSize, concurrency });
  })();
  ready.catch((error: unknown) => logger.error("agent failed to start", { error: describeError(error) }));

  return {
    ready,
    status,
    hint: (path, complete) => intake.hint(path, complete),
    on: (event, fn) => {
      events.on(event, fn as (payload: AgentEvents[typeof event]) => void);
    },
    async stop() {
      await ready.catch(() => undefined);
      stopper.abort();
      clearInterval(pruneTimer);
      await intake.stop();
      await delivery.idle();
      await statusWriter.stop();
    },
  };
}
