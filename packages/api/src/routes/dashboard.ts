/**
 * The dashboard's reads (owner only):
 * - `GET /dashboard/photos?state=&source=&from=&to=&q=&frames=&limit=&cursor=`: a page of photo
 *   summaries (`state=dead_lettered`: the failed photos with a dead-lettered stage; `frames=picks`:
 *   without the frames their burst did not pick);
 * - `GET /dashboard/live?since=<iso>`: what changed since then plus the health header, with an
 *   ETag, so a dashboard polling every second or two costs one small request per interval (304 when
 *   nothing changed), whatever the number of photos;
 * - `GET /dashboard/stats?hours=`: photos per minute and stage latency for the chart;
 * - `GET /agents`: each capture PC's heartbeat.
 */
import { createHash } from "node:crypto";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import { PHOTO_STATUSES, type PhotoStatus } from "@photo-relay/pipeline/photo";
import type { Hono } from "hono";
import * as z from "zod/mini";
import { agentHealth } from "../agent-health.ts";
import { health } from "../health.ts";
import { changedSince, queryPhotos } from "../photo-queries.ts";
import { photoStats } from "../photo-stats.ts";
import { summarize } from "../photo-summary.ts";
import { parse } from "./validate.ts";

const iso = z.iso.datetime({ offset: true });
/** A whole number in a query string, in [min, max]. */
const queryInt = (min: number, max: number) =>
  z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max));
export const photosQuery = z.object({
  state: z.optional(z.enum([...PHOTO_STATUSES, "dead_lettered"])),
  source: z.optional(z.string().check(z.regex(/^(agent|phone|guest|guest:[A-Za-z0-9_-]+|test|upload)$/))),
  from: z.optional(iso),
  to: z.optional(iso),
  q: z.optional(z.string().check(z.maxLength(200))),
  frames: z.optional(z.enum(["picks", "all"])),
  limit: z._default(queryInt(1, 500), 60),
  cursor: z.optional(z.string().check(z.maxLength(2000))),
});
export const liveQuery = z.object({ since: z.optional(iso) });
export const statsQuery = z.object({ hours: z._default(queryInt(1, 48), 6) });

/** Live answers reach back this far before `since`: an index write may show up a little late. */
const LIVE_OVERLAP_MS = 5000;

export function mountDashboardRoutes(app: Hono, runtime: () => PublishRuntime): void {
  app.get("/dashboard/photos", async (c) => {
    const rt = runtime();
    const query = parse(photosQuery, c.req.query());
    const deadLettered = query.state === "dead_lettered";
    const state: PhotoStatus | undefined = deadLettered ? "failed" : (query.state as PhotoStatus | undefined);
    const page = await queryPhotos(rt, {
      limit: query.limit,
      ...(state && { state }),
      ...(deadLettered && { deadLettered }),
      ...(query.frames === "picks" && { frames: "picks" as const }),
      ...(query.source && { source: query.source }),
      ...(query.from && { from: new Date(query.from).toISOString() }),
      ...(query.to && { to: new Date(query.to).toISOString() }),
      ...(query.q && { q: query.q }),
      ...(query.cursor && { cursor: query.cursor }),
    });
    const photos = await Promise.all(page.photos.map((p) => summarize(rt, p)));
    return c.json({ photos, ...(page.cursor && { cursor: page.cursor }), scanned: page.scanned });
  });

  app.get("/dashboard/live", async (c) => {
    const rt = runtime();
    const since = parse(liveQuery, c.req.query()).since;
    const from = new Date(Date.parse(since ?? rt.now().toISOString()) - LIVE_OVERLAP_MS).toISOString();
    const [changed, healthNow] = await Promise.all([changedSince(rt, from), health(rt)]);
    const { at: _at, ...stableHealth } = healthNow;
    const etag = `W/"${createHash("sha256")
      .update(JSON.stringify([changed.map((p) => [p.id, p.updatedAt]), stableHealth]))
      .digest("base64url")
      .slice(0, 27)}"`;
    c.header("etag", etag);
    c.header("cache-control", "no-cache");
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    const photos = await Promise.all(changed.map((p) => summarize(rt, p)));
    const cursor = changed.reduce((max, p) => (p.updatedAt > max ? p.updatedAt : max), since ?? from);
    return c.json({ photos, cursor, health: healthNow });
  });

  app.get("/dashboard/stats", async (c) => {
    const { hours } = parse(statsQuery, c.req.query());
    return c.json(await photoStats(runtime(), hours));
  });

  app.get("/agents", async (c) => c.json({ agents: await agentHealth(runtime()) }));
}
