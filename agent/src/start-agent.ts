/**
 * `startAgent`: wires intake (watch → ready → spool → journal) to delivery (multipart → verify →
 * archive → release) around one record store and one event bus, and recovers whatever a crash
 * left in the journal.
 */
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { describeError, type Logger } from "@photo-relay/core";
import { BufferPool } from "./concurrency/buffer-pool.ts";
import { KeyedLock } from "./concurrency/keyed-lock.ts";
import { Connectivity } from "./delivery/connectivity.ts";
import { Delivery } from "./delivery/delivery.ts";
import { Uplink } from "./delivery/uplink.ts";
import { type AgentBus, type AgentEvents, AgentBus as Bus } from "./events.ts";
import { Intake } from "./intake/intake.ts";
import { logEvents } from "./log-events.ts";
import { type AgentOptions, resolveSettings, type Settings } from "./options.ts";
import { HeartbeatWriter } from "./reports/heartbeat.ts";
import { Outbox } from "./reports/outbox.ts";
import { Rejections } from "./reports/rejections.ts";
import { Journal } from "./spool/journal.ts";
import { Ledger } from "./spool/ledger.ts";
import { RecordStore } from "./spool/record-store.ts";
import { Retention } from "./spool/retention.ts";
import { Spool } from "./spool/spool.ts";
import { type AgentStatus, StatusBoard } from "./status.ts";
import { StatusWriter } from "./status-file.ts";

export interface Agent {
  /** Resolves once the journal is recovered, the watcher runs and the first scan is done. */
  ready: Promise<void>;
  /** Stops watching and uploading; in-flight parts are aborted (the journal lets the next start resume). */
  stop(): Promise<void>;
  status(): AgentStatus;
  on<E extends keyof AgentEvents>(event: E, fn: (payload: AgentEvents[E]) => void): void;
  /** Nominates a file now (gphoto2's download hook); `complete` skips the stability wait. */
  hint(path: string, complete?: boolean): void;
}

/**
 * Starts the edge agent. Nothing is acknowledged (archived, counted as delivered) before its bytes
 * are in the spool with a journal record, and before HeadObject confirmed the object in S3.
 * @example
 * const agent = startAgent({ inbox: ["./inbox"], spoolDir: "./spool", s3: { client, bucket: "media" } });
 * agent.on("delivered", (e) => console.log(e.key));
 * await agent.ready;
 */
export function startAgent(options: AgentOptions): Agent {
  const s = resolveSettings(options);
  const bus: AgentBus = new Bus();
  const stopper = new AbortController();
  const locks = new KeyedLock();
  const store = new RecordStore(new Journal(s.spoolDir));
  const spool = new Spool({ dir: s.spoolDir, link: s.linkIntoSpool, minFreeBytes: s.spoolMinFreeBytes });
  const ledger = new Ledger(s.spoolDir);
  const retention = new Retention(s.spoolDir, s.retention);
  const board = new StatusBoard(bus, store);
  const statusFile = new StatusWriter(s.spoolDir, () => board.read());
  bus.onAny(() => statusFile.touch()); // so `photo-relay status` never lags behind the view
  logEvents(bus, s.logger, () => store.waiting().files);

  const { target, connectivity } = connectS3(s, bus, stopper.signal);
  const { send } = target;
  const outbox = new Outbox(s.spoolDir, target, connectivity, s.logger);
  const rejections = new Rejections({ ...s, outbox, bus });
  const heartbeat = new HeartbeatWriter({
    ...s,
    intervalMs: s.heartbeatIntervalMs,
    s3: target,
    connectivity,
    board,
  });
  bus.on("online", () => {
    void outbox.flush();
    heartbeat.beat();
  });
  const delivery = new Delivery({
    // Twice as many files as part slots, so one file's HEAD/Complete overlaps another's parts.
    concurrency: s.concurrency * 2,
    store,
    spool,
    bus,
    connectivity,
    retention,
    locks,
    upload: {
      bucket: s.bucket,
      send,
      limits: { maxPartBytes: s.partSize, maxInFlight: s.concurrency, memoryBytes: s.memoryBytes },
      uplink: new Uplink(),
      parts: new BufferPool(s.concurrency, s.partSize),
    },
    archive: { mode: s.archive, processedDir: s.processedDir, inbox: s.inbox, ledger },
    failedBackoff: s.failedBackoff,
    isStopping: () => stopper.signal.aborted,
  });
  const intake = new Intake({
    inbox: s.inbox,
    skip: [s.processedDir, s.rejectedDir, s.spoolDir],
    maxFileBytes: s.maxFileBytes,
    stableMs: s.stableMs,
    graceMs: s.graceMs,
    scanIntervalMs: s.scanIntervalMs,
    include: s.include,
    exclude: s.exclude,
    spool,
    store,
    ledger,
    bus,
    locks,
  });

  const ready = (async () => {
    await spool.init();
    await ledger.load();
    await recover(store, spool, s.logger);
    delivery.pump();
    await outbox.init();
    void outbox.flush(); // reports a crash or an outage left behind
    await intake.start();
    statusFile.start();
    heartbeat.start();
    retention.startPruning(() => spool.freeBytes(), s.logger, s.scanIntervalMs);
    const { inbox, spoolDir, processedDir, bucket, partSize, concurrency } = s;
    s.logger.info("agent started", { inbox, spoolDir, processedDir, bucket, partSize, concurrency });
  })();
  ready.catch((error: unknown) => s.logger.error("agent failed to start", { error: describeError(error) }));

  return {
    ready,
    status: () => board.read(),
    hint: (path, complete) => intake.hint(path, complete ? "complete" : "seen"),
    on: (event, fn) => bus.on(event, fn),
    async stop() {
      await ready.catch(() => undefined);
      stopper.abort();
      retention.stopPruning();
      await intake.stop();
      await Promise.all([delivery.idle(), rejections.idle(), heartbeat.stop()]);
      await statusFile.stop();
    },
  };
}

/** The agent's way to S3: every request with the stop signal and a timeout (a black-holed link is noticed). */
function connectS3(s: Settings, bus: AgentBus, signal: AbortSignal) {
  const send = ((command: Parameters<S3Client["send"]>[0]) =>
    s.client.send(command, {
      abortSignal: AbortSignal.any([signal, AbortSignal.timeout(s.requestTimeoutMs)]),
    })) as S3Client["send"];
  const connectivity = new Connectivity({
    probe: () => send(new HeadBucketCommand({ Bucket: s.bucket })).then(() => undefined),
    backoff: s.backoff,
    signal,
    onChange: (online, error) =>
      online ? bus.emit("online", {}) : bus.emit("offline", { error: describeError(error) }),
  });
  return { target: { bucket: s.bucket, send }, connectivity };
}

/** Loads the journal into the store and drops spool copies that no record refers to. */
async function recover(store: RecordStore, spool: Spool, logger: Logger): Promise<void> {
  const records = await store.load((file, error) =>
    logger.error("unreadable journal record", { file, error }),
  );
  const referenced = new Set(records.map((r) => spool.path(r.sha256, r.ext)));
  const orphans = await spool.removeOrphans(referenced);
  if (orphans.length) logger.info("removed spool copies without a journal record", { orphans });
  if (records.length) logger.info("resuming from the journal", { files: records.length });
}
