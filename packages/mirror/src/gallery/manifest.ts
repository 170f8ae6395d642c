/**
 * The gallery's manifest: `gallery.json` holds the newest photos and the list of older page files,
 * each page a fixed slice counted from the oldest photo and named by a hash of its content. Adding
 * a photo therefore rewrites only `gallery.json` (and, every `pageSize` photos, seals one new page):
 * a 5,000-photo gallery costs a visitor one small file per poll, and the writer one or two puts.
 */
import { createHash } from "node:crypto";
import { ValidationError } from "@photo-relay/core";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";

export const MANIFEST_FORMAT = "photo-relay-gallery/1";
export const PAGE_FORMAT = "photo-relay-gallery-page/1";
export const MANIFEST_FILE = "gallery.json";

const dimensions = { width: z.int().check(z.positive()), height: z.int().check(z.positive()) };
/** A rendition as the records describe it; convert writes web JPEGs and WebP thumbnails. */
const renditionEntry = z.object({
  ...dimensions,
  type: z._default(z.enum(["image/jpeg", "image/webp"]), "image/jpeg"),
});
const photoId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,128}$/, "must be 1-128 letters, digits, _ or -"));
/** A photo id as the gallery uses it in file names. */
export const photoIdSchema = photoId;

/** One photo as the caller knows it from its records; `takenAt` orders the gallery (newest first). */
export const galleryEntrySchema = z.object({
  id: photoId,
  /** Capture time, else arrival time. */
  takenAt: z.pipe(
    z.union([z.date(), z.iso.datetime({ offset: true })]),
    z.transform((d: Date | string) => new Date(d).toISOString()),
  ),
  web: renditionEntry,
  thumbnail: renditionEntry,
  /** Text for screen readers and the lightbox caption. */
  alt: z.optional(z.string().check(z.maxLength(1000))),
});
export type GalleryEntry = z.input<typeof galleryEntrySchema>;
export type NormalisedEntry = z.output<typeof galleryEntrySchema>;
type Entry = NormalisedEntry;

const rendition = z.object({ src: z.string(), ...dimensions });
export const galleryPhotoSchema = z.object({
  id: photoId,
  takenAt: z.string(),
  web: rendition,
  thumbnail: rendition,
  alt: z.optional(z.string()),
});
export type GalleryPhoto = z.infer<typeof galleryPhotoSchema>;

/** An older page file: photos newest first, like the manifest's own `photos`. */
export const galleryPageSchema = z.object({
  format: z.literal(PAGE_FORMAT),
  photos: z.array(galleryPhotoSchema),
});

/** `gallery.json`. `revision` changes exactly when the list of photos does. */
export const galleryManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  revision: z.string(),
  updatedAt: z.string(),
  title: z.string(),
  /** Photos in the whole gallery. */
  count: z.int().check(z.nonnegative()),
  pollSeconds: z.number().check(z.positive()),
  /** The newest photos, newest first: between `pageSize` and twice that, or all of them. */
  photos: z.array(galleryPhotoSchema),
  /** Older pages, newest first; `newest`/`oldest` are the `takenAt` of their first and last photo. */
  older: z.array(
    z.object({ src: z.string(), count: z.int().check(z.positive()), newest: z.string(), oldest: z.string() }),
  ),
});
export type GalleryManifest = z.infer<typeof galleryManifestSchema>;

export type ImageType = "image/jpeg" | "image/webp";
const EXTENSIONS: Record<ImageType, string> = { "image/jpeg": "jpg", "image/webp": "webp" };

/** Where a photo's rendition lives, relative to the gallery folder. */
export function photoFile(id: string, rendition: "web" | "thumbnail", type: ImageType): string {
  return `photos/${id}-${rendition === "web" ? "web" : "thumb"}.${EXTENSIONS[type]}`;
}

/** Every name a photo's files may have (what removing a photo deletes). */
export function allPhotoFiles(id: string): string[] {
  return (["web", "thumbnail"] as const).flatMap((r) =>
    (Object.keys(EXTENSIONS) as ImageType[]).map((t) => photoFile(id, r, t)),
  );
}

export interface GalleryLayout {
  manifest: GalleryManifest;
  /** Page files the manifest lists, oldest first (the order they must be placed in). */
  pages: { src: string; bytes: Buffer }[];
}

/** Validates entries (a photo listed twice counts once, the last entry winning), oldest first. */
export function normaliseEntries(entries: readonly GalleryEntry[]): Entry[] {
  const parsed = z.array(galleryEntrySchema).safeParse(entries);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `entries.${i.path.join(".")}: ${i.message}`);
    throw new ValidationError("invalid_gallery_entry", `invalid gallery entries: ${issues.join("; ")}`);
  }
  const byId = new Map<string, Entry>();
  for (const entry of parsed.data) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) =>
    a.takenAt === b.takenAt ? (a.id < b.id ? -1 : 1) : a.takenAt < b.takenAt ? -1 : 1,
  );
}

/** A hash of the list: equal lists, equal revisions (see `normaliseEntries` for the order). */
export function revisionOf(oldestFirst: readonly Entry[]): string {
  return hash(JSON.stringify(oldestFirst));
}

/** The manifest and page files for a list from {@link normaliseEntries}. */
export function layoutGallery(
  oldestFirst: readonly Entry[],
  settings: { title: string; pageSize: number; pollSeconds: number; now: Date },
): GalleryLayout {
  const { pageSize } = settings;
  const sealed = Math.max(0, Math.floor(oldestFirst.length / pageSize) - 1);
  const pages: GalleryLayout["pages"] = [];
  const older: GalleryManifest["older"] = [];
  for (let i = 0; i < sealed; i++) {
    const photos = oldestFirst
      .slice(i * pageSize, (i + 1) * pageSize)
      .map(toPhoto)
      .reverse();
    const bytes = Buffer.from(JSON.stringify({ format: PAGE_FORMAT, photos }));
    const src = `pages/${hash(bytes)}.json`;
    pages.push({ src, bytes });
    older.unshift({
      src,
      count: photos.length,
      newest: photos[0]?.takenAt ?? "",
      oldest: photos.at(-1)?.takenAt ?? "",
    });
  }
  const manifest: GalleryManifest = {
    format: MANIFEST_FORMAT,
    revision: revisionOf(oldestFirst),
    updatedAt: settings.now.toISOString(),
    title: settings.title,
    count: oldestFirst.length,
    pollSeconds: settings.pollSeconds,
    photos: oldestFirst
      .slice(sealed * pageSize)
      .map(toPhoto)
      .reverse(),
    older,
  };
  return { manifest, pages };
}

/** The manifest in `bytes`, or `undefined` when there is none or it is not one of ours. */
export function parseManifest(bytes: Buffer | undefined): GalleryManifest | undefined {
  if (bytes === undefined) return undefined;
  try {
    const parsed = galleryManifestSchema.safeParse(JSON.parse(bytes.toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function toPhoto(entry: Entry): GalleryPhoto {
  const { web, thumbnail } = entry;
  return {
    id: entry.id,
    takenAt: entry.takenAt,
    web: { src: photoFile(entry.id, "web", web.type), width: web.width, height: web.height },
    thumbnail: {
      src: photoFile(entry.id, "thumbnail", thumbnail.type),
      width: thumbnail.width,
      height: thumbnail.height,
    },
    ...(entry.alt !== undefined && { alt: entry.alt }),
  };
}

function hash(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex").slice(0, 16);
}
