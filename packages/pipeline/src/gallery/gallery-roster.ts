/**
 * The list of photos each live gallery shows, kept in the Photos table and read with strongly
 * consistent reads. `updateGallery` derives the manifest from it and re-checks it after writing
 * (packages/mirror/README.md), which is only sound when a read sees every write that finished
 * before it; a secondary index of the photo records would not (its reads are eventually
 * consistent), so the list lives in {@link ROSTER_SHARDS} items per gallery, by the first hex digit
 * of the photo id: at 5,000 photos each is ~40 KB and a whole load is 16 reads in parallel.
 *
 * Each entry carries the version of the photo record it was derived from, and a write never
 * replaces an entry derived from a newer record: a slow mirror invocation cannot put back a photo
 * that the owner has meanwhile taken out. A photo taken out leaves a small tombstone for that reason.
 */
import type { PhotoId } from "@photo-relay/core";
import type { GalleryEntry } from "@photo-relay/mirror";
import { getItem, type ItemTable, updateItem, type VersionedItem } from "../photo/versioned-item.ts";

export const ROSTER_SHARDS = 16;

type Rendition = [width: number, height: number, type: "image/jpeg" | "image/webp"];

/** `v`: the photo record's version; no `t`: a tombstone; `p`: no manifest is known to show this yet. */
interface RosterEntry {
  v: number;
  t?: string;
  w?: Rendition;
  th?: Rendition;
  a?: string;
  p?: 1;
}

/** Where a photo stands in a gallery's list. */
export interface RosterState {
  listed: boolean;
  /** Changed, and no manifest written since is known to show the change (an update failed halfway). */
  pending: boolean;
  version: number;
}

interface RosterShard extends VersionedItem {
  kind: "gallery-roster";
  gallery: string;
  entries: Record<PhotoId, RosterEntry>;
}

/** A photo coming into a gallery (`entry`) or leaving it, as of its record's `version`. */
export interface RosterChange {
  id: PhotoId;
  version: number;
  entry?: GalleryEntry;
}

const SHARD_NAMES = Array.from({ length: ROSTER_SHARDS }, (_, i) => i.toString(16));
const shardKey = (gallery: string, id: string) => `gallery#${gallery}#${id.charAt(0).toLowerCase()}`;

export class GalleryRoster {
  readonly #at: ItemTable;

  constructor(at: ItemTable) {
    this.#at = at;
  }

  /** Every photo `gallery` lists (a target's name), as gallery entries. */
  async list(gallery: string): Promise<GalleryEntry[]> {
    return (await this.load(gallery)).entries;
  }

  /** The listed photos as gallery entries, and where every photo the list knows stands. */
  async load(gallery: string): Promise<{ entries: GalleryEntry[]; states: Map<PhotoId, RosterState> }> {
    const shards = await Promise.all(
      SHARD_NAMES.map((s) => getItem<RosterShard>(this.#at, `gallery#${gallery}#${s}`)),
    );
    const entries: GalleryEntry[] = [];
    const states = new Map<PhotoId, RosterState>();
    for (const shard of shards) {
      for (const [id, e] of Object.entries(shard?.entries ?? {})) {
        states.set(id, { listed: e.t !== undefined, pending: e.p === 1, version: e.v });
        if (!e.t || !e.w || !e.th) continue;
        const [width, height, type] = e.w;
        const [tw, th, ttype] = e.th;
        entries.push({
          id,
          takenAt: e.t,
          web: { width, height, type },
          thumbnail: { width: tw, height: th, type: ttype },
          ...(e.a !== undefined && { alt: e.a }),
        });
      }
    }
    return { entries, states };
  }

  /**
   * Applies `changes`, each pending until {@link confirm}ed; an entry derived from a newer record
   * than the change's is kept. Returns the photos that were to come in but stay out (a newer
   * record took them out).
   */
  async write(gallery: string, changes: readonly RosterChange[]): Promise<Set<PhotoId>> {
    const refused = new Set<PhotoId>();
    const byShard = Map.groupBy(changes, (c) => shardKey(gallery, c.id));
    await Promise.all(
      [...byShard].map(([key, group]) =>
        updateItem<RosterShard>(this.#at, key, (current) => {
          const entries = { ...current?.entries };
          let changed = false;
          for (const { id } of group) refused.delete(id); // this may be a second try
          for (const { id, version, entry } of group) {
            const known = entries[id];
            if (known && known.v > version) {
              if (entry && !known.t) refused.add(id);
              continue;
            }
            entries[id] = entry ? toStored(entry, version) : { v: version, p: 1 };
            changed = true;
          }
          return changed ? { id: key, kind: "gallery-roster", gallery, entries } : undefined;
        }),
      ),
    );
    return refused;
  }

  /** A manifest showing these changes is on the host: they are no longer pending (unless changed again). */
  async confirm(gallery: string, changes: readonly Omit<RosterChange, "entry">[]): Promise<void> {
    const byShard = Map.groupBy(changes, (c) => shardKey(gallery, c.id));
    await Promise.all(
      [...byShard].map(([key, group]) =>
        updateItem<RosterShard>(this.#at, key, (current) => {
          if (!current) return undefined;
          const entries = { ...current.entries };
          let changed = false;
          for (const { id, version } of group) {
            const known = entries[id];
            if (known?.p !== 1 || known.v !== version) continue;
            const { p: _, ...settled } = known;
            entries[id] = settled;
            changed = true;
          }
          return changed ? { ...current, entries } : undefined;
        }),
      ),
    );
  }
}

function toStored(entry: GalleryEntry, version: number): RosterEntry {
  const rendition = (r: GalleryEntry["web"]): Rendition => [r.width, r.height, r.type ?? "image/jpeg"];
  return {
    v: version,
    p: 1,
    t: new Date(entry.takenAt).toISOString(),
    w: rendition(entry.web),
    th: rendition(entry.thumbnail),
    ...(entry.alt !== undefined && { a: entry.alt }),
  };
}
