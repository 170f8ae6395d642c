/**
 * `GET /photos`: a page of photo records, most recently changed first (`status` narrows it to one
 * state), each as the API shows a photo ({@link presentPhoto}). Pollers (the soak's probe, scripts
 * following a shoot) ask for the first page again and again, and on a busy stack each read of 50
 * records cost 20-60 ms of two threads' CPU (the query, ~130 kB of JSON written), so the first page
 * of each query is one computation per API instance shared by every caller, as `/status` is
 * ({@link SharedAnswer}): its records read at most `api.photosMaxAgeSeconds` before the caller
 * asked (1 by default; 0 reads for each caller), and the answer says when (`at`). A page after a
 * cursor is read for its caller.
 */
import { type BurstView, burstsOf, type PublishRuntime } from "@photo-relay/pipeline/api";
import type { PhotoRecord, PhotoStatus } from "@photo-relay/pipeline/photo";
import { presignGet } from "./photo-summary.ts";
import { jsonOf, SharedAnswer } from "./shared-answer.ts";

export interface PhotoListQuery {
  status?: PhotoStatus | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

type PhotoPage = Awaited<ReturnType<typeof readPage>>;

/** First pages kept per runtime (one per status and limit asked); the least recently asked goes first. */
const FIRST_PAGES_KEPT = 16;
const firstPages = new WeakMap<PublishRuntime, Map<string, SharedAnswer<PhotoPage>>>();

/** The page as JSON text (a shared first page is written once for all its callers: `jsonOf`). */
export async function photoListJson(rt: PublishRuntime, query: PhotoListQuery): Promise<string> {
  const maxAgeMs = rt.config.api.photosMaxAgeSeconds * 1000;
  if (query.cursor || maxAgeMs === 0)
    return JSON.stringify({ at: rt.now().toISOString(), ...(await readPage(rt, query)) });
  let pages = firstPages.get(rt);
  if (!pages) {
    pages = new Map();
    firstPages.set(rt, pages);
  }
  const key = `${query.status ?? ""}/${query.limit ?? ""}`;
  let shared = pages.get(key);
  if (shared)
    pages.delete(key); // re-inserted below: most recently asked last
  else {
    shared = new SharedAnswer(() => readPage(rt, query), { maxAgeMs, refreshAfterMs: maxAgeMs / 4 });
    if (pages.size >= FIRST_PAGES_KEPT) pages.delete(pages.keys().next().value as string);
  }
  pages.set(key, shared);
  const answer = await shared.get();
  return jsonOf(answer, () => ({ at: new Date(answer.at).toISOString(), ...answer.value }));
}

async function readPage(rt: PublishRuntime, query: PhotoListQuery) {
  const page = await rt.photos.list({
    ...(query.status && { status: query.status }),
    ...(query.limit && { limit: query.limit }),
    ...(query.cursor && { cursor: query.cursor }),
  });
  const bursts = await burstsOf(rt, page.photos);
  const photos = await Promise.all(page.photos.map((p) => presentPhoto(rt, p, bursts, "list")));
  return { photos, ...(page.cursor && { cursor: page.cursor }) };
}

/**
 * The photo as the API shows it: internal bookkeeping removed, a short-lived thumbnail URL added
 * (the dashboard's: the same URL for a few minutes),
 * and for a frame of a burst, the burst: its state, picks and, on the photo's own page, its members
 * (`GET /bursts/:id` has their scores). A list leaves the members out: each frame of a 40-frame
 * burst repeated all 40 ids, a third of a 50-photo page's 285 kB.
 */
export async function presentPhoto(
  rt: PublishRuntime,
  photo: PhotoRecord,
  bursts: Map<string, BurstView>,
  view: "list" | "page",
) {
  const { version: _v, kind: _k, ...rest } = photo;
  const { leaseUntil: _l, ...publish } = photo.stages.publish;
  const thumbKey = photo.renditions?.thumbnail?.key;
  const thumbnailUrl = thumbKey ? await presignGet(rt, thumbKey) : undefined;
  const burst = photo.burst && bursts.get(photo.burst.id);
  return {
    ...rest,
    stages: { ...photo.stages, publish },
    ...(thumbnailUrl && { thumbnailUrl }),
    ...(photo.burst && burst && { burst: burstSummary(photo.id, photo.burst, burst, view === "page") }),
  };
}

/** The record learns its role when a stage applies the decision; the burst knows it first. */
function burstSummary(
  photoId: string,
  own: NonNullable<PhotoRecord["burst"]>,
  burst: BurstView,
  withMembers: boolean,
) {
  const { id, state, picks, pickedBy, settlesAt, decidedAt } = burst;
  return {
    id,
    role: burst.members.find((m) => m.photoId === photoId)?.role ?? own.role,
    lead: own.lead,
    state,
    picks,
    pickedBy,
    ...(settlesAt && { settlesAt }),
    ...(decidedAt && { decidedAt }),
    ...(withMembers && { members: burst.members.map((m) => m.photoId) }),
  };
}
