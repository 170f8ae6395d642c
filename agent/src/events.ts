/**
 * The agent's events: the public ones (`delivered`, `ignored`, `failed`, `offline`, `online`) and
 * the internal ones the status, the log and the intake follow. Every part of the engine reports
 * through one {@link AgentBus}; nobody reaches into another part's state to learn what happened.
 */
import { EventEmitter } from "node:events";
import type { Rejection, RejectionCode } from "@photo-relay/core/edge";

export interface DeliveredEvent {
  path: string;
  key: string;
  sha256: string;
  bytes: number;
}

export interface IgnoredEvent {
  path: string;
  code: string;
  reason: string;
}

export interface FailedEvent {
  path: string;
  key?: string;
  code: string;
  reason: string;
}

/** A refused file, reported to the cloud side (`agents/<agentId>/rejected/<reportId>.json`). */
export interface RejectedEvent {
  path: string;
  code: RejectionCode;
  reason: string;
  /** Where its bytes are now. */
  kept: Rejection["kept"];
  /** The new path in `rejected/` or in the spool, when it was moved or copied. */
  to?: string;
  reportId: string;
}

/** What `agent.on(…)` offers. */
export interface AgentEvents {
  delivered: DeliveredEvent;
  ignored: IgnoredEvent;
  failed: FailedEvent;
  rejected: RejectedEvent;
  offline: { error: { code: string; message: string } };
  online: Record<string, never>;
}

/** Events inside the engine, besides the public ones. */
export interface EngineEvents extends AgentEvents {
  /** A file is refused (besides its `ignored`/`failed` event): it becomes a report. */
  refused: { path: string; code: RejectionCode; reason: string };
  /** A file's bytes are in the spool with a journal record: from here on a crash loses nothing. */
  spooled: { path: string; sha256: string; bytes: number; kind: string };
  /** An upload began, progressed (bytes S3 confirmed) or ended (either way). */
  sending: { sha256: string; name: string; bytes: number };
  progress: { sha256: string; sent: number };
  settled: { sha256: string };
  /** A failure already reported once happened again; the file waits for its next try. */
  retrying: { path: string; key?: string; code: string; reason: string };
  /** The spool copy was unusable and is gone: these inbox files must be looked at again. */
  dropped: { paths: string[] };
  /** An original could not be archived as usual (deleted or replaced meanwhile). */
  unarchived: { path: string; sha256: string; result: string };
}

/** A typed event emitter, with one listener for every event (the status file's refresh). */
export class AgentBus {
  readonly #emitter = new EventEmitter();
  readonly #any: Array<() => void> = [];

  emit<E extends keyof EngineEvents>(event: E, payload: EngineEvents[E]): void {
    this.#emitter.emit(event, payload);
    for (const fn of this.#any) fn();
  }

  on<E extends keyof EngineEvents>(event: E, fn: (payload: EngineEvents[E]) => void): void {
    this.#emitter.on(event, fn as (payload: unknown) => void);
  }

  onAny(fn: () => void): void {
    this.#any.push(fn);
  }
}
