/**
 * Every refused file becomes a visible, counted item: it moves out of the inbox to the `rejected/`
 * folder beside `processed/` (the spool keeps a copy of its bytes when the inbox cannot be
 * changed), and a report per `rejectionSchema` goes to `rejectionKey(agentId, reportId)` through
 * the outbox. Only unreadable files stay where they are: what cannot be read cannot be moved
 * either (and a lock may be released; they are looked at again later). System junk never gets
 * here (intake/ignored-names.ts).
 */
import { randomUUID } from "node:crypto";
import { copyFile, mkdir, stat } from "node:fs/promises";
import { basename, extname, join, relative } from "node:path";
import { type Rejection, type RejectionCode, rejectionKey, rejectionSchema } from "@photo-relay/core/edge";
import { isCode, isInside, moveFile } from "../durable-fs.ts";
import type { AgentBus, EngineEvents } from "../events.ts";
import { moveCompanions } from "../sidecar.ts";
import { hashFile } from "../spool/spool.ts";
import type { Outbox } from "./outbox.ts";

export interface RejectionsOptions {
  agentId: string;
  inbox: string[];
  /** Where refused files whose bytes matter are moved. */
  rejectedDir: string;
  spoolDir: string;
  bus: AgentBus;
  outbox: Outbox;
}

/** Refusals that leave the inbox (a truncated shot may be the only copy: its bytes are kept). */
const MOVED: ReadonlySet<RejectionCode> = new Set(["incomplete", "too_large", "unknown_kind", "empty"]);

export class Rejections {
  readonly #o: RejectionsOptions;
  readonly #running = new Set<Promise<void>>();

  constructor(options: RejectionsOptions) {
    this.#o = options;
    options.bus.on("refused", (refusal) => {
      const done = this.#handle(refusal).catch(() => undefined);
      this.#running.add(done);
      void done.finally(() => this.#running.delete(done));
    });
  }

  /** Resolves once every refusal seen so far is reported (to the outbox at least). */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }

  async #handle({ path, code, reason }: EngineEvents["refused"]): Promise<void> {
    const o = this.#o;
    const bytes = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const readable = code !== "unreadable" && code !== "empty";
    const sha256 = readable ? await hashFile(path).catch(() => undefined) : undefined;
    const reportId = sha256 ?? randomUUID().replaceAll("-", "");
    const root = o.inbox.find((dir) => isInside(dir, path));
    const keep = MOVED.has(code)
      ? await this.#keep(path, reportId, root)
      : { kept: "left-in-place" as const };
    const report: Rejection = rejectionSchema.parse({
      agentId: o.agentId,
      reportId,
      at: new Date().toISOString(),
      file: {
        name: basename(path),
        path: root ? relative(root, path) : basename(path),
        bytes,
        ...(sha256 && { sha256 }),
      },
      reason: { code, message: reason },
      kept: keep.kept,
    });
    await o.outbox.put(rejectionKey(o.agentId, reportId), report);
    o.bus.emit("rejected", {
      path,
      code,
      reason,
      kept: keep.kept,
      reportId,
      ...(keep.to && { to: keep.to }),
    });
  }

  /** Moves the file to `rejected/` (same relative path); where the inbox is read-only, copies it into the spool. */
  async #keep(
    path: string,
    reportId: string,
    root: string | undefined,
  ): Promise<{ kept: Rejection["kept"]; to?: string }> {
    const o = this.#o;
    try {
      const to = await moveFile(path, join(o.rejectedDir, root ? relative(root, path) : basename(path)));
      await moveCompanions(path, to);
      return { kept: "rejected-folder", to };
    } catch (error) {
      if (!isCode(error, "EROFS", "EACCES", "EPERM", "EBUSY")) throw error;
    }
    try {
      const dir = join(o.spoolDir, "rejected");
      await mkdir(dir, { recursive: true });
      const to = join(dir, `${reportId}${extname(path).toLowerCase()}`);
      await copyFile(path, to);
      return { kept: "spool", to };
    } catch {
      return { kept: "left-in-place" };
    }
  }
}
