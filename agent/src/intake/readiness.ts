/**
 * Decides when an inbox file is ready: size and mtime unchanged for `stableMs`, it opens for
 * reading, and its format check passes. Watcher events and scans only nominate candidates.
 */
import { type Stats, stat } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { promisify } from "node:util";
import { isCode } from "../durable-fs.ts";
import { type Detection, detectMedia, isTemporaryName, type MediaKind } from "./media-kind.ts";

const statAsync = promisify(stat);

export type Ready = Extract<Detection, { ok: true }>;

export interface Rejection {
  path: string;
  outcome: "ignored" | "failed";
  code: string;
  reason: string;
}

export interface ReadinessOptions {
  stableMs: number;
  /** How long a stable file may stay unreadable or incomplete before it is rejected. */
  graceMs: number;
  include?: MediaKind[];
  exclude?: MediaKind[];
  /** Whether this exact file (path + size + mtime) is already spooled. */
  isKnown: (path: string, stats: Stats) => boolean;
  onReady: (path: string, stats: Stats, media: Ready) => Promise<"done" | "retry">;
  onReject: (rejection: Rejection) => void;
  now?: () => number;
}

interface Candidate {
  size: number;
  mtimeMs: number;
  stableSince: number;
  complete: boolean;
  busy: boolean;
  retryAt: number;
}

const RETRY_MS = 1000;
const FAILED_RECHECK_MS = 60_000;

const signature = (s: Stats) => `${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

export class Readiness {
  readonly #options: ReadinessOptions;
  readonly #now: () => number;
  readonly #candidates = new Map<string, Candidate>();
  readonly #running = new Set<Promise<void>>();
  /**
   * Rejected files by signature, so a scan does not report them again until they change. Failures
   * (e.g. a file locked by camera software on Windows) are looked at again after a while.
   */
  readonly #rejected = new Map<string, { signature: string; until: number }>();

  constructor(options: ReadinessOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  get pending(): number {
    return this.#candidates.size;
  }

  /** Nominates a path. `complete` (gphoto2's hook, after its atomic rename) skips the stability wait. */
  hint(path: string, complete = false): void {
    if (isTemporaryName(basename(path))) return;
    const existing = this.#candidates.get(path);
    if (existing) {
      existing.complete ||= complete;
      return;
    }
    this.#candidates.set(path, {
      size: -1,
      mtimeMs: -1,
      stableSince: this.#now(),
      complete,
      busy: false,
      retryAt: 0,
    });
    const added = this.#candidates.get(path);
    if (added) this.#track(this.#check(path, added)); // first look now: the stability window starts here
  }

  /** Resolves once no check (and so no spooling) is running. */
  async idle(): Promise<void> {
    while (this.#running.size) await Promise.allSettled([...this.#running]);
  }

  #track(check: Promise<void>): Promise<void> {
    this.#running.add(check);
    void check.finally(() => this.#running.delete(check));
    return check;
  }

  /** Re-examines every candidate once; overlapping calls are fine (busy candidates are skipped). */
  async tick(): Promise<void> {
    const now = this.#now();
    await Promise.all(
      [...this.#candidates.entries()].map(([path, c]) =>
        c.busy || c.retryAt > now ? undefined : this.#track(this.#check(path, c)),
      ),
    );
  }

  async #check(path: string, c: Candidate): Promise<void> {
    c.busy = true;
    try {
      let stats: Stats;
      try {
        stats = await statAsync(path);
      } catch (error) {
        this.#candidates.delete(path);
        if (isCode(error, "ENOENT") && c.size >= 0) {
          this.#reject(path, undefined, "ignored", "vanished", "deleted before it could be spooled");
        }
        return;
      }
      if (!stats.isFile() || this.#isRejected(path, stats) || this.#options.isKnown(path, stats)) {
        this.#candidates.delete(path);
        return;
      }
      const now = this.#now();
      if (stats.size !== c.size || stats.mtimeMs !== c.mtimeMs) {
        Object.assign(c, { size: stats.size, mtimeMs: stats.mtimeMs, stableSince: now });
        if (!c.complete) return;
      }
      const stableFor = now - c.stableSince;
      if (!c.complete && stableFor < this.#options.stableMs) return;
      const graceOver = stableFor >= this.#options.graceMs;
      const media = await this.#inspect(path, stats);
      if (media.ok) {
        if (!this.#allowed(media.kind)) {
          return this.#reject(
            path,
            stats,
            "ignored",
            "excluded_kind",
            `${media.kind} is excluded by the include/exclude rules`,
          );
        }
        if ((await this.#options.onReady(path, stats, media)) === "done") this.#candidates.delete(path);
        else c.retryAt = this.#now() + RETRY_MS; // e.g. a full spool: look again in a moment, not every tick
        return;
      }
      if (media.reason === "unsupported")
        return this.#reject(path, stats, "ignored", "unsupported", media.detail);
      if (!graceOver) return; // maybe still being written (or preallocated and being filled)
      const code = media.reason === "unreadable" ? "unreadable" : stats.size === 0 ? "empty" : "incomplete";
      this.#reject(path, stats, media.reason === "unreadable" ? "failed" : "ignored", code, media.detail);
    } finally {
      c.busy = false;
    }
  }

  async #inspect(
    path: string,
    stats: Stats,
  ): Promise<Detection | { ok: false; reason: "unreadable"; detail: string }> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, "r");
    } catch (error) {
      return {
        ok: false,
        reason: "unreadable",
        detail: `cannot open for reading: ${(error as Error).message}`,
      };
    }
    try {
      return await detectMedia(handle, stats.size, basename(path));
    } finally {
      await handle.close();
    }
  }

  #allowed(kind: MediaKind): boolean {
    const { include, exclude } = this.#options;
    return (!include || include.includes(kind)) && !exclude?.includes(kind);
  }

  #reject(
    path: string,
    stats: Stats | undefined,
    outcome: Rejection["outcome"],
    code: string,
    reason: string,
  ): void {
    this.#candidates.delete(path);
    if (stats) {
      const until = outcome === "failed" ? this.#now() + FAILED_RECHECK_MS : Number.POSITIVE_INFINITY;
      this.#rejected.set(path, { signature: signature(stats), until });
    }
    this.#options.onReject({ path, outcome, code, reason });
  }

  #isRejected(path: string, stats: Stats): boolean {
    const entry = this.#rejected.get(path);
    return entry !== undefined && entry.signature === signature(stats) && entry.until > this.#now();
  }
}
