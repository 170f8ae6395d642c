/**
 * fauxqs keeps queues and messages in SQLite in WAL mode with SQLite's default `synchronous =
 * FULL`: every send, receive and delete waits for an fsync (≈ 4 ms each on this machine's disk),
 * on the main thread, which in a 120-frame burst added up to ≈ 10 s of the thread blocked.
 * `synchronous = NORMAL` is what SQLite recommends with WAL: each commit still reaches the WAL file
 * before the call returns, so a crashed or killed stack loses nothing; only a power cut can drop
 * the last commits, which AWS's SQS is not modelled on here anyway.
 *
 * fauxqs opens its database inside `startFauxqs`, before its first `await`, and offers no option
 * for it; so for that synchronous stretch only, each database that switches to WAL also gets
 * `synchronous = NORMAL`.
 */
import { DatabaseSync } from "node:sqlite";

/** Runs `start` (which must open its databases before it first awaits) with WAL databases at NORMAL. */
export function withRelaxedSqliteSync<T>(start: () => T): T {
  const exec = DatabaseSync.prototype.exec;
  DatabaseSync.prototype.exec = function (this: DatabaseSync, sql: string) {
    exec.call(this, sql);
    if (/journal_mode\s*=\s*WAL/i.test(sql)) exec.call(this, "PRAGMA synchronous = NORMAL");
  };
  try {
    return start();
  } finally {
    DatabaseSync.prototype.exec = exec;
  }
}
