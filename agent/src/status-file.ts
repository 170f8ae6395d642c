/** The running agent publishes its status to `<spool>/status.json` once a second for `photo-relay status`. */
import { join } from "node:path";
import { writeFileAtomic } from "./durable-fs.ts";
import type { AgentStatus } from "./status.ts";

export interface StatusFile extends AgentStatus {
  pid: number;
  updatedAt: string;
}

export const statusPath = (spoolDir: string) => join(spoolDir, "status.json");

export class StatusWriter {
  readonly #path: string;
  readonly #read: () => AgentStatus;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();
  #pending = false;

  constructor(spoolDir: string, read: () => AgentStatus) {
    this.#path = statusPath(spoolDir);
    this.#read = read;
  }

  start(intervalMs = 1000): void {
    this.#write();
    this.#timer = setInterval(() => this.#write(), intervalMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#writing;
    this.#write();
    await this.#writing;
  }

  /** Writes soon (coalesced), e.g. after an event. */
  touch(): void {
    if (this.#pending) return;
    this.#pending = true;
    setImmediate(() => {
      this.#pending = false;
      this.#write();
    });
  }

  #write(): void {
    const body: StatusFile = { ...this.#read(), pid: process.pid, updatedAt: new Date().toISOString() };
    this.#writing = this.#writing
      // A snapshot rewritten every second: atomic for its readers, never worth an fsync.
      .then(() => writeFileAtomic(this.#path, JSON.stringify(body, null, 2), { durable: false }))
      .catch(() => undefined);
  }
}
