/**
 * `startAgent`: starts the engine's parts (see engine.ts) in order: recover the journal, resume
 * deliveries, send waiting reports, watch the inbox; and stops them in the reverse order.
 */
import { describeError, type Logger } from "@photo-relay/core/edge";
import { assemble } from "./engine.ts";
import type { AgentEvents } from "./events.ts";
import { type AgentOptions, resolveSettings } from "./options.ts";
import type { RecordStore } from "./spool/record-store.ts";
import type { Spool } from "./spool/spool.ts";
import type { AgentStatus } from "./status.ts";

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
  const stopper = new AbortController();
  const e = assemble(s, stopper.signal);
  const ready = (async () => {
    await e.spool.init();
    await e.ledger.load();
    await recover(e.store, e.spool, s.logger);
    e.delivery.pump();
    await e.outbox.init();
    void e.outbox.flush(); // reports a crash or an outage left behind
    await e.intake.start();
    void e.parts.warm();
    e.statusFile.start();
    e.heartbeat.start();
    e.retention.startPruning(() => e.spool.freeBytes(), s.logger, s.scanIntervalMs);
    const { inbox, spoolDir, processedDir, bucket, partSize, concurrency } = s;
    s.logger.info("agent started", { inbox, spoolDir, processedDir, bucket, partSize, concurrency });
  })();
  ready.catch((error: unknown) => s.logger.error("agent failed to start", { error: describeError(error) }));

  return {
    ready,
    status: () => e.board.read(),
    hint: (path, complete) => e.intake.hint(path, complete ? "complete" : "seen"),
    on: (event, fn) => e.bus.on(event, fn),
    async stop() {
      await ready.catch(() => undefined);
      stopper.abort();
      e.retention.stopPruning();
      await e.intake.stop();
      await Promise.all([e.delivery.idle(), e.rejections.idle(), e.heartbeat.stop()]);
      await e.statusFile.stop();
    },
  };
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
