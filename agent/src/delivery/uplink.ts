/**
 * The measured uplink, and the part plan it implies: parts of about {@link TARGET_PART_SECONDS}
 * each (small on a weak link, so a dropped connection loses little and progress moves; up to the
 * configured size on a fast one), and as many in flight as the memory budget allows. S3's limits
 * bound both: parts of at least 5 MiB, at most 10 000 of them.
 */
const MiB = 1024 * 1024;
const MIN_PART = 5 * MiB;
const MAX_PARTS = 10_000;
const WINDOW_MS = 10_000;
const TARGET_PART_SECONDS = 2;

interface Sample {
  start: number;
  end: number;
  bytes: number;
}

export interface PartLimits {
  /** Largest part (the configured part size). */
  maxPartBytes: number;
  /** Most parts in flight (the configured concurrency). */
  maxInFlight: number;
  /** Part buffers may use at most this much memory. */
  memoryBytes: number;
}

export class Uplink {
  readonly #samples: Sample[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** One part that S3 acknowledged: sent between `start` and now. */
  record(bytes: number, start: number): void {
    const end = this.#now();
    this.#samples.push({ start, end, bytes });
    while ((this.#samples[0]?.end ?? end) < end - WINDOW_MS) this.#samples.shift();
  }

  /** Bytes per second over the recent parts (all in flight together), or undefined before any. */
  rate(): number | undefined {
    if (!this.#samples.length) return undefined;
    const from = Math.min(...this.#samples.map((s) => s.start));
    const to = Math.max(...this.#samples.map((s) => s.end));
    const bytes = this.#samples.reduce((sum, s) => sum + s.bytes, 0);
    return bytes / Math.max(0.001, (to - from) / 1000);
  }

  /** The part size for a new upload of `fileBytes`. */
  partSize(fileBytes: number, limits: PartLimits): number {
    const rate = this.rate();
    const wanted =
      rate === undefined ? limits.maxPartBytes : Math.ceil((rate * TARGET_PART_SECONDS) / MiB) * MiB;
    const fewEnough = Math.ceil(fileBytes / MAX_PARTS / MiB) * MiB;
    return Math.max(MIN_PART, fewEnough, Math.min(wanted, limits.maxPartBytes));
  }

  /**
   * Parts to keep in flight: as many as allowed within the memory budget, on every link. (Fewer on
   * a slow link leave it idle between parts: each part waits a round trip for its answer and
   * for "100 Continue"; measured through the shaped link, two in flight ran 0.81× the AWS CLI,
   * four 0.95×.)
   */
  inFlight(partBytes: number, limits: PartLimits): number {
    const byMemory = Math.floor(limits.memoryBytes / Math.max(partBytes, limits.maxPartBytes));
    return Math.max(1, Math.min(limits.maxInFlight, byMemory));
  }
}
