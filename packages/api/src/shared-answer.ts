/**
 * One computation shared by every caller, with bounded staleness: an answer whose figures were read
 * at most `maxAgeMs` before the caller asked. Callers never start a computation of their own while
 * one that is recent enough runs or has finished: concurrent callers share it. Once an answer is
 * older than `refreshAfterMs` it is still served (while within `maxAgeMs`) and a fresh one is
 * computed in the background, so a busy moment makes the answer older, not the callers slower.
 * A failed computation is forgotten at once (its own callers get the error). `maxAgeMs: 0` shares
 * nothing: every caller gets figures read after it asked.
 */
export interface Shared<V> {
  value: V;
  /** When the computation began: every figure in `value` was read at or after it. */
  at: number;
}

export interface SharedAnswerOptions {
  maxAgeMs: number;
  /** Default: half of `maxAgeMs`. */
  refreshAfterMs?: number;
  now?: () => number;
}

export class SharedAnswer<V> {
  readonly #compute: () => Promise<V>;
  readonly #maxAgeMs: number;
  readonly #refreshAfterMs: number;
  readonly #now: () => number;
  #latest: Shared<V> | undefined;
  #running: { at: number; answer: Promise<Shared<V>> } | undefined;

  constructor(compute: () => Promise<V>, options: SharedAnswerOptions) {
    this.#compute = compute;
    this.#maxAgeMs = options.maxAgeMs;
    this.#refreshAfterMs = options.refreshAfterMs ?? options.maxAgeMs / 2;
    this.#now = options.now ?? Date.now;
  }

  /** An answer read at most `maxAgeMs` before now. */
  get(): Promise<Shared<V>> {
    const asked = this.#now();
    const latest = this.#latest;
    if (latest && asked - latest.at < this.#maxAgeMs) {
      if (asked - latest.at >= this.#refreshAfterMs && !this.#running) {
        this.#start(asked).catch(() => undefined); // its failure reaches only its own callers
      }
      return Promise.resolve(latest);
    }
    const running = this.#running;
    if (running && asked - running.at < this.#maxAgeMs) return running.answer;
    return this.#start(asked);
  }

  #start(at: number): Promise<Shared<V>> {
    const answer = this.#compute().then((value) => {
      const shared = { value, at };
      if (!this.#latest || this.#latest.at < at) this.#latest = shared;
      return shared;
    });
    const running = { at, answer };
    this.#running = running;
    const done = () => {
      if (this.#running === running) this.#running = undefined;
    };
    answer.then(done, done);
    return answer;
  }
}

const texts = new WeakMap<Shared<unknown>, string>();

/**
 * The JSON text of the answer `present` makes from `shared`, written once per shared answer: a
 * first page of `/photos` is ~190 kB of JSON, and every poller of the same answer gets the same
 * bytes, so serializing it for each of them was CPU the API's thread spent again and again.
 * `present` must depend on `shared` only.
 */
export function jsonOf(shared: Shared<unknown>, present: () => unknown): string {
  let text = texts.get(shared);
  if (text === undefined) {
    text = JSON.stringify(present());
    texts.set(shared, text);
  }
  return text;
}
