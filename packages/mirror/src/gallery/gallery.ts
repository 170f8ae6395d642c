/**
 * The live event gallery the mirror keeps in a folder of the web host: photo files, `gallery.json`
 * and its older pages, `index.html` and its script. Plain static files, because the host runs no
 * code; every one is placed under a unique temporary name and renamed into place, so a visitor only
 * ever loads whole files. See README.md ("Live event gallery") for why the manifest is derived
 * from the caller's authoritative list instead of merged on the host.
 */
import { createHash } from "node:crypto";
import type { Logger } from "@photo-relay/core";
import { ConfigError, ValidationError } from "@photo-relay/core";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import { GalleryError } from "../errors.ts";
import type { MirrorSession } from "../session.ts";
import { joinPath, normaliseRemotePath, type PutOptions } from "../transport.ts";
import { CLIENT_SCRIPT } from "./client-script.ts";
import { renderIndex } from "./html.ts";
import {
  allPhotoFiles,
  type GalleryEntry,
  type GalleryLayout,
  type GalleryManifest,
  layoutGallery,
  MANIFEST_FILE,
  type NormalisedEntry,
  normaliseEntries,
  parseManifest,
  photoFile,
  photoIdSchema,
  revisionOf,
} from "./manifest.ts";
import { assertPublicImage, type PublicImage } from "./public-image.ts";

/** The renditions of a photo new to the host (or changed), placed before any manifest lists it. */
export interface GalleryUpload {
  id: string;
  web: Buffer;
  thumbnail: Buffer;
}

export interface GalleryBatch {
  /**
   * Every photo the gallery shows: the authoritative list, derived from the photo records. Give a
   * function that loads it, and the manifest is checked against a fresh load after each write and
   * rewritten until the two agree, so concurrent updates never leave an entry out (see README).
   * Each listed photo's files must be on the host: uploaded now or by an earlier update.
   */
  entries: readonly GalleryEntry[] | (() => Promise<readonly GalleryEntry[]>);
  uploads?: readonly GalleryUpload[];
  /**
   * Called once the uploads are on the host, before the list is first loaded: record them as being
   * in the gallery here (in the pipeline, on their photo records). Recording a photo only after its
   * files are placed means no update, concurrent ones included, ever lists a photo without files.
   */
  onPlaced?: (ids: string[]) => Promise<void>;
  /**
   * Photos that left the gallery (deleted, or held by the owner): their files are removed once the
   * manifest no longer lists them. Take them out of the list first, as `entries` derives it.
   */
  removed?: readonly string[];
}

export const gallerySettingsSchema = z.object({
  /** The gallery's folder under the target's root; "" puts it at the root itself. */
  folder: z.pipe(
    z
      ._default(z.string(), "gallery")
      .check(
        z.refine(
          (f) => f === "" || normaliseRemotePath(f) !== undefined,
          "must be a relative folder without ..",
        ),
      ),
    z.transform((f: string) => normaliseRemotePath(f) ?? ""),
  ),
  title: z._default(z.string().check(z.minLength(1), z.maxLength(200)), "Live gallery"),
  /** Photos per older page; `gallery.json` holds between one and two pages' worth. */
  pageSize: z._default(z.int().check(z.minimum(1), z.maximum(1000)), 60),
  /** How often an open page checks for new photos. */
  pollSeconds: z._default(z.number().check(z.minimum(1), z.maximum(3600)), 5),
  /** Writes of one update before it gives up on a list that keeps changing (a retryable error). */
  maxRounds: z._default(z.int().check(z.minimum(1), z.maximum(50)), 5),
});
export type GallerySettings = z.input<typeof gallerySettingsSchema>;

export interface GalleryOptions extends GallerySettings {
  now?: () => Date;
  logger?: Pick<Logger, "info">;
}

export interface GalleryResult {
  revision: string;
  count: number;
  /** Manifest writes this update took: 1, or more when the list changed meanwhile. */
  rounds: number;
  /** The gallery's URL, when the target has a `publicBaseUrl`. */
  url?: string;
  written: { photos: number; pages: number };
  deleted: { photos: number; pages: number };
}

/** What the gallery needs of a session (`openSession` gives all of it). */
export type GallerySession = Pick<MirrorSession, "putAt" | "read" | "stat" | "remove">;

const UNIQUE: PutOptions = { temporary: "unique" };

type Settings = z.output<typeof gallerySettingsSchema>;
type Counts = Pick<GalleryResult, "written" | "deleted">;

/**
 * Brings the gallery up to date with `batch`: verifies every upload (nothing refused reaches the
 * host), places them and reports them through `onPlaced`, then writes the pages, `gallery.json` and
 * `index.html` for the whole list, and last removes the pages and photo files that left. Call it
 * once per mirror batch.
 * @example
 * await updateGallery(session, {
 *   uploads: [{ id, web: webJpeg, thumbnail: thumbWebp }],
 *   onPlaced: (ids) => photos.markInGallery(ids),
 *   entries: () => photos.listGallery(), // [{ id, takenAt, web: { width, height }, thumbnail: { …, type } }]
 * }, { title: "Anna & Ben, 12 June" });
 */
export async function updateGallery(
  session: GallerySession,
  batch: GalleryBatch,
  options: GalleryOptions = {},
): Promise<GalleryResult> {
  const { now = () => new Date(), logger, ...rest } = options;
  const settings = parseSettings(rest);
  const at = (path: string) => joinPath(settings.folder, path);
  const counts: Counts = { written: { photos: 0, pages: 0 }, deleted: { photos: 0, pages: 0 } };
  const removed = new Set(parseIds(batch.removed ?? []));
  const placed = await placeUploads(session, batch.uploads ?? [], at, counts);
  if (placed.size > 0) await batch.onPlaced?.([...placed.keys()]);
  const script = await placeScript(session, at);
  const load = typeof batch.entries === "function" ? batch.entries : undefined;
  const loadList = async () => normaliseEntries(load ? await load() : (batch.entries as GalleryEntry[]));
  for (let round = 1; round <= settings.maxRounds; round++) {
    // The host's manifest is read before the list is loaded, so whatever it lists is at most as new
    // as our list: the pages it names that we drop are garbage (see README).
    const previous = parseManifest(await session.read(at(MANIFEST_FILE)));
    const list = await loadList();
    checkTypes(list, placed);
    const layout = layoutGallery(list, { ...settings, now: now() });
    const url = await writeLayout(session, layout, previous, script, at, counts);
    await removePhotos(session, removed, new Set(list.map((e) => e.id)), at, counts);
    // Settled when a load after our write still gives our list: any later change is followed by
    // its own update, whose write comes after ours.
    if (!load || revisionOf(await loadList()) === layout.manifest.revision) {
      const result = {
        revision: layout.manifest.revision,
        count: list.length,
        rounds: round,
        ...(url !== undefined && { url }),
        ...counts,
      };
      logger?.info("gallery updated", { ...result });
      return result;
    }
  }
  throw new GalleryError(
    "gallery_unsettled",
    `the gallery's list changed during each of its ${settings.maxRounds} writes; try again`,
  );
}

async function placeUploads(
  session: GallerySession,
  uploads: readonly GalleryUpload[],
  at: (path: string) => string,
  counts: Counts,
): Promise<Map<string, Placed>> {
  parseIds(uploads.map((u) => u.id));
  const checked = uploads.map((upload) => ({
    upload,
    web: assertPublicImage(upload.web, `photo ${upload.id}: web rendition`),
    thumbnail: assertPublicImage(upload.thumbnail, `photo ${upload.id}: thumbnail`),
  }));
  const placed = new Map<string, Placed>();
  for (const { upload, web, thumbnail } of checked) {
    await session.putAt(at(photoFile(upload.id, "thumbnail", thumbnail.type)), upload.thumbnail, UNIQUE);
    await session.putAt(at(photoFile(upload.id, "web", web.type)), upload.web, UNIQUE);
    placed.set(upload.id, { web, thumbnail });
    counts.written.photos += 1;
  }
  return placed;
}

type Placed = Record<"web" | "thumbnail", PublicImage>;

/** An entry must name the type of the file this update placed, or its link would be broken. */
function checkTypes(list: readonly NormalisedEntry[], placed: Map<string, Placed>): void {
  for (const entry of list) {
    const files = placed.get(entry.id);
    for (const rendition of ["web", "thumbnail"] as const) {
      const actual = files?.[rendition].type;
      if (actual === undefined || actual === entry[rendition].type) continue;
      throw new ValidationError(
        "gallery_type_mismatch",
        `photo ${entry.id}: the entry says its ${rendition} is ${entry[rendition].type}, the upload is ${actual}`,
      );
    }
  }
}

/** Pages the host lacks (oldest first), the manifest, the page; then pages no longer listed go. */
async function writeLayout(
  session: GallerySession,
  layout: GalleryLayout,
  previous: GalleryManifest | undefined,
  script: string,
  at: (path: string) => string,
  counts: Counts,
): Promise<string | undefined> {
  const known = new Set(previous?.older.map((page) => page.src));
  for (const page of layout.pages) {
    if (known.has(page.src)) continue;
    await session.putAt(at(page.src), page.bytes, UNIQUE);
    counts.written.pages += 1;
  }
  await session.putAt(at(MANIFEST_FILE), Buffer.from(JSON.stringify(layout.manifest)), UNIQUE);
  const html = Buffer.from(renderIndex(layout.manifest, script));
  const index = await session.putAt(at("index.html"), html, UNIQUE);
  const listed = new Set(layout.pages.map((page) => page.src));
  for (const src of known) {
    if (listed.has(src)) continue;
    await session.remove(at(src));
    counts.deleted.pages += 1;
  }
  return index.publicUrl?.replace(/index\.html$/, "");
}

/** Removes the files of photos that left, unless the list shows them again (their files must stay). */
async function removePhotos(
  session: GallerySession,
  removed: Set<string>,
  listed: Set<string>,
  at: (path: string) => string,
  counts: Counts,
): Promise<void> {
  for (const id of removed) {
    if (listed.has(id)) continue;
    for (const file of allPhotoFiles(id)) await session.remove(at(file));
    removed.delete(id);
    counts.deleted.photos += 1;
  }
}

const SCRIPT = Buffer.from(CLIENT_SCRIPT);
const SCRIPT_NAME = `gallery-${createHash("sha256").update(SCRIPT).digest("hex").slice(0, 12)}.js`;
/** Where each session already found or placed the script, so later updates skip the check. */
const scriptsSeen = new WeakMap<GallerySession, Set<string>>();

/** The client script under a name that changes with its content, placed when missing. */
async function placeScript(session: GallerySession, at: (path: string) => string): Promise<string> {
  const path = at(SCRIPT_NAME);
  const seen = scriptsSeen.get(session) ?? new Set();
  scriptsSeen.set(session, seen);
  if (seen.has(path)) return SCRIPT_NAME;
  if ((await session.stat(path))?.size !== SCRIPT.length) await session.putAt(path, SCRIPT, UNIQUE);
  seen.add(path);
  return SCRIPT_NAME;
}

function parseIds(ids: readonly string[]): string[] {
  const parsed = z.array(photoIdSchema).safeParse(ids);
  if (parsed.success) return parsed.data;
  throw new ValidationError("invalid_gallery_entry", `invalid photo id: ${parsed.error.issues[0]?.message}`);
}

function parseSettings(settings: GallerySettings): Settings {
  const parsed = gallerySettingsSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `gallery.${i.path.join(".")}: ${i.message}`));
}
