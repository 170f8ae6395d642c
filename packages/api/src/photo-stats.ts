/**
 * The dashboard's chart: per minute over the last hours, photos that arrived and photos
 * published, and each stage's latency: convert (arrival → converted), mirror and publish
 * (converted → mirrored / published; publish includes any wait for approval or quota). Read from
 * the photos active in the window, with their journeys; kept {@link STATS_TTL_MS} per instance.
 */
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { JourneyEvent, StageName } from "@photo-relay/pipeline/photo";
import { activeSince } from "./photo-queries.ts";
import { perRuntime } from "./ttl-cache.ts";

export const STATS_TTL_MS = 15_000;

export interface PhotoStats {
  /** Start of each minute, seconds since the epoch (uPlot's x axis). */
  minutes: number[];
  arrived: number[];
  published: number[];
  /** Mean seconds of the stage for photos finishing it in that minute; null where none did. */
  latency: Record<StageName, Array<number | null>>;
}

/** The chart's data for `hours`, recomputed at most every {@link STATS_TTL_MS}. */
export const photoStats = perRuntime(STATS_TTL_MS, (rt, hours: number) => computeStats(rt, hours));

async function computeStats(rt: PublishRuntime, hours: number): Promise<PhotoStats> {
  const end = Math.floor(rt.now().getTime() / 60_000) * 60;
  const start = end - hours * 60 * 60;
  const minutes = Array.from({ length: hours * 60 + 1 }, (_, i) => start + i * 60);
  const slot = (iso: string) => {
    const i = Math.floor((Date.parse(iso) / 1000 - start) / 60);
    return i >= 0 && i < minutes.length ? i : undefined;
  };
  const arrived = minutes.map(() => 0);
  const published = minutes.map(() => 0);
  const sums: Record<StageName, number[]> = { convert: [], mirror: [], publish: [] };
  const counts: Record<StageName, number[]> = { convert: [], mirror: [], publish: [] };
  const photos = await activeSince(rt, new Date(start * 1000).toISOString());
  for (const photo of photos) {
    const a = slot(photo.createdAt);
    if (a !== undefined) arrived[a] = (arrived[a] ?? 0) + 1;
    const doneAt = firstDone(photo.journey as JourneyEvent[]);
    const from: Record<StageName, string | undefined> = {
      convert: photo.createdAt,
      mirror: doneAt.convert,
      publish: doneAt.convert,
    };
    for (const stage of ["convert", "mirror", "publish"] as const) {
      const finished = doneAt[stage];
      const began = from[stage];
      const i = finished ? slot(finished) : undefined;
      if (!finished || !began || i === undefined) continue;
      sums[stage][i] = (sums[stage][i] ?? 0) + (Date.parse(finished) - Date.parse(began)) / 1000;
      counts[stage][i] = (counts[stage][i] ?? 0) + 1;
      if (stage === "publish") published[i] = (published[i] ?? 0) + 1;
    }
  }
  const mean = (stage: StageName) =>
    minutes.map((_, i) => {
      const n = counts[stage][i];
      return n ? Math.round(((sums[stage][i] ?? 0) / n) * 10) / 10 : null;
    });
  return {
    minutes,
    arrived,
    published,
    latency: { convert: mean("convert"), mirror: mean("mirror"), publish: mean("publish") },
  };
}

function firstDone(journey: JourneyEvent[] = []): Partial<Record<StageName, string>> {
  const done: Partial<Record<StageName, string>> = {};
  for (const event of journey)
    if (event.status === "done" && !done[event.stage]) done[event.stage] = event.at;
  return done;
}
