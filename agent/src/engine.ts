/**
 * The engine's parts and how they connect: one record store, one event bus, one way to S3. Each
 * part learns what happened from the bus, never from another part's state.
 */
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { describeError } from "@photo-relay/core/edge";
import { BufferPool } from "./concurrency/buffer-pool.ts";
import { KeyedLock } from "./concurrency/keyed-lock.ts";
import { Connectivity } from "./delivery/connectivity.ts";
import { Delivery } from "./delivery/delivery.ts";
import { Uplink } from "./delivery/uplink.ts";
import { AgentBus } from "./events.ts";
import { Intake } from "./intake/intake.ts";
import { logEvents } from "./log-events.ts";
import type { Settings } from "./options.ts";
import { HeartbeatWriter } from "./reports/heartbeat.ts";
import { Outbox } from "./reports/outbox.ts";
import { Rejections } from "./reports/rejections.ts";
import { Journal } from "./spool/journal.ts";
import { Ledger } from "./spool/ledger.ts";
import { RecordStore } from "./spool/record-store.ts";
import { Retention } from "./spool/retention.ts";
import { Spool } from "./spool/spool.ts";
import { StatusBoard } from "./status.ts";
import { StatusWriter } from "./status-file.ts";

export type Engine = ReturnType<typeof assemble>;

/** Builds every part; nothing runs until `startAgent` starts them. */
export function assemble(s: Settings, signal: AbortSignal) {
  const bus = new AgentBus();
  const locks = new KeyedLock();
  const store = new RecordStore(new Journal(s.spoolDir));
  const spool = new Spool({ dir: s.spoolDir, link: s.linkIntoSpool, minFreeBytes: s.spoolMinFreeBytes });
  const ledger = new Ledger(s.spoolDir);
  const retention = new Retention(s.spoolDir, s.retention);
  const board = new StatusBoard(bus, store);
  const statusFile = new StatusWriter(s.spoolDir, () => board.read());
  bus.onAny(() => statusFile.touch()); // so `photo-relay status` never lags behind the view
  logEvents(bus, s.logger, () => store.waiting().files);

  const { target, connectivity } = connectS3(s, bus, signal);
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
  const parts = new BufferPool(s.concurrency, s.partSize);
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
      parts,
    },
    archive: { mode: s.archive, processedDir: s.processedDir, inbox: s.inbox, ledger },
    failedBackoff: s.failedBackoff,
    isStopping: () => signal.aborted,
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

  return {
    bus,
    store,
    spool,
    ledger,
    retention,
    board,
    statusFile,
    outbox,
    rejections,
    heartbeat,
    parts,
    delivery,
    intake,
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
