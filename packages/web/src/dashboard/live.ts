/**
 * Live updates for the dashboard: one conditional request every {@link LIVE_INTERVAL_MS} (ETag,
 * 304 when nothing changed) brings the photos changed since the last answer and the health header,
 * whatever the number of photos. A hidden tab stops asking; it catches up when shown again.
 */
import { useEffect, useState } from "preact/hooks";
import { request } from "../shared/api.ts";
import type { Health, PhotoSummary } from "./types.ts";

export const LIVE_INTERVAL_MS = 1500;

type Listener = (changes: PhotoSummary[]) => void;

interface LiveAnswer {
  photos: PhotoSummary[];
  cursor: string;
  health: Health;
}

class LiveFeed {
  health: Health | undefined;
  error: string | undefined;
  readonly #listeners = new Set<Listener>();
  readonly #healthListeners = new Set<() => void>();
  /** Each photo's newest `updatedAt` seen, so a repeated answer changes nothing. */
  readonly #seen = new Map<string, string>();
  #cursor: string | undefined;
  #etag: string | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  start(): void {
    if (this.#timer) return;
    const tick = async () => {
      if (document.visibilityState === "visible") await this.poll();
      this.#timer = setTimeout(tick, LIVE_INTERVAL_MS);
    };
    void tick();
  }

  async poll(): Promise<void> {
    try {
      const query = this.#cursor ? `?since=${encodeURIComponent(this.#cursor)}` : "";
      const res = await request<LiveAnswer>(
        `/dashboard/live${query}`,
        this.#etag ? { etag: this.#etag } : {},
      );
      this.error = undefined;
      if (res.status === 304 || !res.body) return this.#notifyHealth();
      this.#etag = res.etag ?? undefined;
      this.#cursor = res.body.cursor;
      this.health = res.body.health;
      const fresh = res.body.photos.filter((p) => (this.#seen.get(p.id) ?? "") < p.updatedAt);
      for (const p of fresh) this.#seen.set(p.id, p.updatedAt);
      if (fresh.length) for (const l of this.#listeners) l(fresh);
    } catch (error) {
      this.error = (error as Error).message;
    }
    this.#notifyHealth();
  }

  /** Marks photos as known (loaded by a page), so an older live answer does not replace them. */
  know(photos: PhotoSummary[]): void {
    for (const p of photos) if ((this.#seen.get(p.id) ?? "") < p.updatedAt) this.#seen.set(p.id, p.updatedAt);
  }

  onChanges(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onHealth(listener: () => void): () => void {
    this.#healthListeners.add(listener);
    return () => this.#healthListeners.delete(listener);
  }

  #notifyHealth(): void {
    for (const l of this.#healthListeners) l();
  }
}

export const live = new LiveFeed();

/** The latest health answer (and the last error), re-rendering on each poll. */
export function useHealth(): { health: Health | undefined; error: string | undefined } {
  const [, setTick] = useState(0);
  useEffect(() => live.onHealth(() => setTick((n) => n + 1)), []);
  return { health: live.health, error: live.error };
}
