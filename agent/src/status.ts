/**
 * The agent's status, fed by its events: counters, online state, the last error and the files in
 * flight come from the bus; what waits comes from the record store, the owner of every record.
 */
import { basename } from "node:path";
import type { AgentBus } from "./events.ts";
import type { RecordStore } from "./spool/record-store.ts";

export interface InFlight {
  name: string;
  bytes: number;
  sent: number;
}

export interface AgentStatus {
  online: boolean;
  /** Spooled files not yet delivered (including those in flight). */
  waiting: { files: number; bytes: number };
  delivered: number;
  ignored: number;
  failed: number;
  inFlight: InFlight[];
  /** Files refused and reported (they are in `rejected/`, the spool, or left in place). */
  rejected?: number;
  /** The last file delivered. */
  lastFile?: { name: string; at: string; photoId: string };
  /** The last failure reason, for the terminal view and `status`. */
  lastError?: { code: string; message: string };
}

export class StatusBoard {
  readonly #store: RecordStore;
  readonly #counters = { delivered: 0, ignored: 0, failed: 0, rejected: 0 };
  readonly #inFlight = new Map<string, InFlight>();
  #online = true;
  #lastError: AgentStatus["lastError"];
  #lastFile: AgentStatus["lastFile"];

  constructor(bus: AgentBus, store: RecordStore) {
    this.#store = store;
    const error = (code: string, message: string) => {
      this.#lastError = { code, message };
    };
    bus.on("delivered", (e) => {
      this.#counters.delivered++;
      this.#lastFile = { name: basename(e.path), at: new Date().toISOString(), photoId: e.sha256 };
    });
    bus.on("rejected", () => this.#counters.rejected++);
    bus.on("ignored", () => this.#counters.ignored++);
    bus.on("failed", (e) => {
      this.#counters.failed++;
      error(e.code, e.reason);
    });
    bus.on("retrying", (e) => error(e.code, e.reason));
    bus.on("offline", (e) => {
      this.#online = false;
      error(e.error.code, e.error.message);
    });
    bus.on("online", () => {
      this.#online = true;
    });
    bus.on("sending", (e) => this.#inFlight.set(e.sha256, { name: e.name, bytes: e.bytes, sent: 0 }));
    bus.on("progress", (e) => {
      const entry = this.#inFlight.get(e.sha256);
      if (entry) entry.sent = e.sent;
    });
    bus.on("settled", (e) => this.#inFlight.delete(e.sha256));
  }

  read(): AgentStatus {
    return {
      online: this.#online,
      waiting: this.#store.waiting(),
      ...this.#counters,
      inFlight: [...this.#inFlight.values()].map((f) => ({ ...f })),
      ...(this.#lastFile && { lastFile: this.#lastFile }),
      ...(this.#lastError && { lastError: this.#lastError }),
    };
  }
}
