/**
 * Decides when an inbox file is ready: its writer is done with it (on Linux the close itself, see
 * close-watch.ts), its format check passes, and size and mtime held still for the settle
 * (`stableMs`). A file whose structure cannot prove it complete waits the longer stability window
 * instead. Watcher events and scans only nominate candidates. A file is refused only once no
 * writer holds it open any more and it stayed unchanged for the grace time.
 */
import { type Stats, stat } from "node:fs";
import { open } from "node:fs/promises";
import { basename } from "node:path";
import { promisify } from "node:util";
import { isCode } from "../durable-fs.ts";
import { isIgnoredName } from "./ignored-names.ts";
import { type Detection, detectMedia, type MediaKind } from "./media-kind.ts";
import { isOpenForWriting } from "./open-writers.ts";

const statAsync = promisify(stat);

export type Ready = Extract<Detection, { ok: true }>;

export interface Rejection {
  path: string;
  outcome: "ignored" | "failed";
  code: string;
  reason: string;
}

/** What nominated a file: a scan or change event, a writer at work, its close, or gphoto2's hook. */
export type Hint = "seen" | "writing" | "closed" | "complete";

export interface ReadinessOptions {
  stableMs: number;
  /** How long a stable file may stay unreadable or incomplete, once no writer holds it, before it is rejected. */
  graceMs: number;
  maxFileBytes: number;
  include?: MediaKind[];
  exclude?: MediaKind[];
  /** Whether this exact file (path + size + mtime) is already spooled. */
  isKnown: (path: string, stats: Stats) => boolean;
  /**
   * Companions travel with their photo (sidecar.ts): `is`, one with its photo beside it; `mayBe`,
   * a name that could be one, whose photo may still be on its way (it waits out the grace time
   * before it counts as an unknown kind).
   */
  companion?: { is: (path: string) => boolean; mayBe: (path: string) => boolean };
  onReady: (path: string, stats: Stats, media: Ready) => Promise<"done" | "retry">;
  /** A closed file whose format proves it complete and that will be taken if it holds still. */
  onSettling?: (path: string, stats: Stats) => void;
  onReject: (rejection: Rejection) => void;
  now?: () => number;
}

interface Candidate {
  size: number;
  mtimeMs: number;
  stableSince: number;
  /** gphoto2's hook: renamed into place by the writer itself, no settle needed. */
  complete: boolean;
  /** A writer has the file open (inotify saw writes and no close yet). */
  writing: boolean;
  /** Its writer closed it (inotify): the format check need not wait for the settle. */
  closed: boolean;
  busy: boolean;
  retryAt: number;
  /** The last format check, by signature, so a file that does not change is read once. */
  checked?: { signature: string; media: Inspection };
}

type Inspection = Detection | { ok: false; reason: "unreadable"; detail: string };

const RETRY_MS = 1000;
const FAILED_RECHECK_MS = 60_000;
/** Files only plausibly complete by their format hold still at least this long. */
const UNPROVEN_STABLE_MS = 2000;
/**
 * A writer that keeps a file open without writing to it for this long is taken to be done, when
 * the format proves the file complete; a file that is not is never refused while held open.
 */
const WRITER_QUIET_MS = 2000;

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

  /** Nominates a path, saying what is known about its writer. */
  hint(path: string, how: Hint = "seen"): void {
    if (isIgnoredName(basename(path))) return;
    const existing = this.#candidates.get(path);
    if (existing) {
      existing.complete ||= how === "complete";
      if (how === "writing") Object.assign(existing, { writing: true, closed: false });
      if (how === "closed" || how === "complete") {
        Object.assign(existing, { writing: false, closed: true });
        if (!existing.busy) this.#track(this.#check(path, existing)); // the settle starts now
      }
      return;
    }
    const added: Candidate = {
      size: -1,
      mtimeMs: -1,
      stableSince: this.#now(),
      complete: how === "complete",
      writing: how === "writing",
      closed: how === "closed" || how === "complete",
      busy: false,
      retryAt: 0,
    };
    this.#candidates.set(path, added);
    this.#track(this.#check(path, added)); // first look now: the settle starts here
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
      if (!c.complete && (stableFor < this.#options.stableMs || (c.writing && stableFor < WRITER_QUIET_MS))) {
        // Closed by its writer: read the format during the settle (kept by signature for the next
        // look), and let the spool hash it meanwhile when it will be taken as it is.
        if (c.closed && !c.writing) {
          const media = await this.#inspect(path, stats, c);
          if (media.ok && media.proven && this.#takes(media.kind, stats))
            this.#options.onSettling?.(path, stats);
        }
        return; // still settling, or its writer has it open
      }
      const media = await this.#inspect(path, stats, c);
      if (media.ok) return await this.#accept(path, stats, c, media, stableFor);
      if (media.reason === "unsupported") {
        const { companion } = this.#options;
        if (companion?.is(path)) return void this.#candidates.delete(path);
        if (companion?.mayBe(path) && stableFor < this.#options.graceMs) return;
      } else if (stableFor < this.#options.graceMs) return; // maybe still being written (or preallocated and being filled)
      // An unreadable file stays where it is (and is looked at again): only the others are judged.
      if (media.reason === "unreadable")
        return this.#reject(path, stats, "failed", "unreadable", media.detail);
      if (await this.#heldByWriter(path, c)) return;
      const code = media.reason === "unsupported" ? "unsupported" : stats.size === 0 ? "empty" : "incomplete";
      this.#reject(path, stats, "ignored", code, media.detail);
    } finally {
      c.busy = false;
    }
  }

  /**
   * A file its writer still holds open is not judged, however long the writer pauses (a loaded
   * machine, a slow card reader): inotify saw writes and no close, or `/proc` shows the writer
   * (also to an agent started after the writer opened the file). Its quiet time starts again, so
   * it is looked at again a grace time later, or as soon as the writer closes it.
   */
  async #heldByWriter(path: string, c: Candidate): Promise<boolean> {
    if (!c.writing && !(await isOpenForWriting(path))) return false;
    c.stableSince = this.#now();
    return true;
  }

  #takes(kind: MediaKind, stats: Stats): boolean {
    return this.#allowed(kind) && stats.size <= this.#options.maxFileBytes;
  }

  async #accept(path: string, stats: Stats, c: Candidate, media: Ready, stableFor: number): Promise<void> {
    if (!this.#allowed(media.kind)) {
      const reason = `${media.kind} is excluded by the include/exclude rules`;
      return this.#reject(path, stats, "ignored", "excluded_kind", reason);
    }
    if (stats.size > this.#options.maxFileBytes) {
      const reason = `${stats.size} bytes, more than the ${this.#options.maxFileBytes} allowed (maxFileBytes)`;
      return this.#reject(path, stats, "ignored", "too_large", reason);
    }
    if (!media.proven && !c.complete && stableFor < Math.max(this.#options.stableMs, UNPROVEN_STABLE_MS))
      return; // only heuristics say it is complete: give a slow writer the longer window
    if ((await this.#options.onReady(path, stats, media)) === "done") this.#candidates.delete(path);
    else c.retryAt = this.#now() + RETRY_MS; // e.g. a full spool: look again in a moment, not every tick
  }

  async #inspect(path: string, stats: Stats, c: Candidate): Promise<Inspection> {
    const sig = signature(stats);
    if (c.checked?.signature === sig) return c.checked.media;
    let media: Inspection;
    try {
      const handle = await open(path, "r");
      try {
        media = await detectMedia(handle, stats.size, basename(path));
      } finally {
        await handle.close();
      }
    } catch (error) {
      media = {
        ok: false,
        reason: "unreadable",
        detail: `cannot open for reading: ${(error as Error).message}`,
      };
    }
    // An unreadable file is opened again next time: a lock (camera software on Windows) may be gone.
    if (media.ok || media.reason !== "unreadable") c.checked = { signature: sig, media };
    return media;
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
