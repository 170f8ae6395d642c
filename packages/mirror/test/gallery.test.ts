/**
 * The gallery's rules, on the local folder target (the transports' own behaviour is in the
 * conformance suite): what goes into the manifest and its pages, what is refused, what leaves.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type GalleryEntry,
  GalleryError,
  type GalleryManifest,
  galleryManifestSchema,
  galleryPageSchema,
  type MirrorSession,
  openSession,
  updateGallery,
} from "../src/index.ts";
import { jpegWith, testPhoto, testPhotos } from "./gallery-photos.ts";

let root: string;
let session: MirrorSession;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "photo-relay-gallery-"));
  session = openSession({ name: "web", transports: [{ type: "local", root }], pathTemplate: "{name}" });
});
afterEach(async () => {
  await session.close();
  await rm(root, { recursive: true, force: true });
});

const manifest = async (): Promise<GalleryManifest> =>
  galleryManifestSchema.parse(JSON.parse(await readFile(join(root, "gallery/gallery.json"), "utf8")));
const page = async (src: string) =>
  galleryPageSchema.parse(JSON.parse(await readFile(join(root, "gallery", src), "utf8")));
const exists = (path: string) =>
  stat(join(root, "gallery", path)).then(
    () => true,
    () => false,
  );
/** Every photo id the gallery lists, head then older pages, in display order. */
async function allListed(): Promise<string[]> {
  const m = await manifest();
  const older = await Promise.all(m.older.map((p) => page(p.src)));
  return [...m.photos, ...older.flatMap((p) => p.photos)].map((p) => p.id);
}
const entries = (count: number, from = 0): GalleryEntry[] =>
  Array.from({ length: count }, (_, i) => ({
    id: `p${String(from + i).padStart(5, "0")}`,
    takenAt: new Date(Date.UTC(2026, 5, 12, 18) + (from + i) * 1000),
    web: { width: 2048, height: 1365 },
    thumbnail: { width: 400, height: 267, type: "image/webp" as const },
  }));

describe("gallery", () => {
  it("places each photo's files, the manifest and the page, newest first", async () => {
    const photos = await testPhotos(0, 3);
    const result = await updateGallery(session, {
      entries: photos.map((p) => p.entry),
      uploads: photos.map((p) => p.upload),
    });
    expect(result).toMatchObject({ count: 3, rounds: 1, written: { photos: 3, pages: 0 } });
    const m = await manifest();
    expect(m.photos.map((p) => p.id)).toEqual(["photo0002", "photo0001", "photo0000"]);
    expect(m.photos[0]).toMatchObject({
      web: { src: "photos/photo0002-web.jpg", width: 640, height: 422 },
      thumbnail: { src: "photos/photo0002-thumb.webp", width: 256, height: 169 },
      alt: "Photo 2",
    });
    expect(await readFile(join(root, "gallery/photos/photo0002-web.jpg"))).toEqual(photos[2]?.upload.web);
    const html = await readFile(join(root, "gallery/index.html"), "utf8");
    expect(html.match(/class="tile"/g)).toHaveLength(3);
    expect(html).toContain('srcset="photos/photo0002-thumb.webp 256w, photos/photo0002-web.jpg 640w"');
    const script = html.match(/<script src="(gallery-[0-9a-f]{12}\.js)"/)?.[1];
    expect(script && (await exists(script))).toBe(true);
    expect((await readdir(join(root, "gallery"))).filter((n) => n.endsWith(".partial"))).toEqual([]);
  });

  it("reports uploads through onPlaced once their files are on the host, before the list is loaded", async () => {
    const photo = await testPhoto(1);
    const steps: string[] = [];
    await updateGallery(session, {
      uploads: [photo.upload],
      onPlaced: async (ids) => {
        steps.push(`placed ${ids.join()} ${await exists("photos/photo0001-web.jpg")}`);
      },
      entries: async () => {
        steps.push("loaded");
        return [photo.entry];
      },
    });
    expect(steps).toEqual(["placed photo0001 true", "loaded", "loaded"]); // the second load settles it
  });

  it("seals older photos into content-named pages, so a new photo rewrites only gallery.json", async () => {
    await updateGallery(session, { entries: entries(10) }, { pageSize: 3 });
    let m = await manifest();
    expect(m.photos).toHaveLength(4); // between one and two pages' worth
    expect(m.older.map((p) => p.count)).toEqual([3, 3]);
    expect(await allListed()).toEqual(
      entries(10)
        .map((e) => e.id)
        .reverse(),
    );
    const second = await updateGallery(session, { entries: entries(11) }, { pageSize: 3 });
    expect(second.written.pages).toBe(0);
    const third = await updateGallery(session, { entries: entries(12) }, { pageSize: 3 });
    expect(third.written.pages).toBe(1);
    m = await manifest();
    expect(m.older.map((p) => p.count)).toEqual([3, 3, 3]);
    expect(await allListed()).toEqual(
      entries(12)
        .map((e) => e.id)
        .reverse(),
    );
  });

  it("keeps a 5,000-photo gallery fast: a small gallery.json, and one more photo costs no page", async () => {
    await updateGallery(session, { entries: entries(5000) });
    const m = await manifest();
    expect(m.count).toBe(5000);
    expect(m.photos.length).toBeLessThan(120);
    expect((await stat(join(root, "gallery/gallery.json"))).size).toBeLessThan(48 * 1024);
    expect((await stat(join(root, "gallery/index.html"))).size).toBeLessThan(80 * 1024);
    expect(new Set(await allListed()).size).toBe(5000);
    const next = await updateGallery(session, { entries: entries(5001) });
    expect(next.written).toEqual({ photos: 0, pages: 0 });
  });

  it("drops a photo that left: its entry, its files, and the page that held it", async () => {
    const photos = await testPhotos(0, 7);
    await updateGallery(
      session,
      { entries: photos.map((p) => p.entry), uploads: photos.map((p) => p.upload) },
      { pageSize: 2 },
    );
    const oldPages = (await manifest()).older.map((p) => p.src);
    const kept = photos.filter((p) => p.entry.id !== "photo0001");
    const result = await updateGallery(
      session,
      { entries: kept.map((p) => p.entry), removed: ["photo0001"] },
      { pageSize: 2 },
    );
    expect(result.deleted.photos).toBe(1);
    expect(await allListed()).not.toContain("photo0001");
    expect(await exists("photos/photo0001-web.jpg")).toBe(false);
    expect(await exists("photos/photo0001-thumb.webp")).toBe(false);
    for (const src of oldPages) {
      expect(await exists(src)).toBe((await manifest()).older.some((p) => p.src === src));
    }
  });

  it("keeps the files of a photo listed as removed while the list still shows it", async () => {
    const photo = await testPhoto(1);
    await updateGallery(session, { entries: [photo.entry], uploads: [photo.upload] });
    await updateGallery(session, { entries: [photo.entry], removed: [photo.entry.id] });
    expect(await exists("photos/photo0001-web.jpg")).toBe(true);
  });

  it("refuses renditions carrying GPS, serial numbers or an XMP position, and places nothing", async () => {
    const photo = await testPhoto(1);
    const leaks = {
      "EXIF GPS data": await jpegWith({
        exif: { IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } },
      }),
      "EXIF BodySerialNumber": await jpegWith({ exif: { IFD2: { BodySerialNumber: "3004417" } } }),
      "XMP GPSLongitude": await jpegWith({
        xmp: '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLongitude="0,7.5W"/></rdf:RDF></x:xmpmeta>',
      }),
    };
    for (const [field, web] of Object.entries(leaks)) {
      const error = await updateGallery(session, {
        entries: [photo.entry],
        uploads: [{ ...photo.upload, web }],
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GalleryError);
      expect(error).toMatchObject({ code: "private_metadata", retryable: false });
      expect((error as Error).message).toContain(field);
    }
    expect(await readdir(root)).toEqual([]);
  });

  it("accepts what convert may keep: an ICC profile and the artist and copyright", async () => {
    const photo = await testPhoto(1);
    const web = await jpegWith({ exif: { IFD0: { Artist: "Anna Berg", Copyright: "© Anna Berg" } } });
    await updateGallery(session, { entries: [photo.entry], uploads: [{ ...photo.upload, web }] });
    expect(await exists("photos/photo0001-web.jpg")).toBe(true);
  });

  it.skipIf(!process.env.MEDIA_CORPUS)("refuses camera files that carry a position", async () => {
    const photo = await testPhoto(1);
    for (const file of ["gps/nikon-coolpix-p6000_gps.jpg", "formats/progressive_huawei-ele-l29_gps.jpg"]) {
      const web = await readFile(join(process.env.MEDIA_CORPUS ?? "", file));
      await expect(
        updateGallery(session, { entries: [photo.entry], uploads: [{ ...photo.upload, web }] }),
      ).rejects.toMatchObject({ code: "private_metadata" });
    }
  });

  it("refuses a truncated image, data after the image, and a type the entry does not name", async () => {
    const { entry, upload } = await testPhoto(1);
    const cases = [
      { web: upload.web.subarray(0, upload.web.length - 100), code: "invalid_rendition" },
      { web: Buffer.concat([upload.web, Buffer.from("trailer")]), code: "invalid_rendition" },
      { thumbnail: upload.thumbnail.subarray(0, 200), code: "invalid_rendition" },
      { thumbnail: upload.web, code: "gallery_type_mismatch" }, // a JPEG where the entry says WebP
    ];
    for (const { code, ...files } of cases) {
      await expect(
        updateGallery(session, { entries: [entry], uploads: [{ ...upload, ...files }] }),
      ).rejects.toMatchObject({ code });
    }
  });

  it("gives up with a retryable error when the list changes during every write", async () => {
    let calls = 0;
    const error = await updateGallery(
      session,
      { entries: async () => entries(++calls) },
      { maxRounds: 3 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "gallery_unsettled", retryable: true });
  });

  it("escapes the title and captions in the page", async () => {
    const [entry] = entries(1);
    await updateGallery(
      session,
      { entries: [{ ...(entry as GalleryEntry), alt: '"><img src=x onerror=alert(1)>' }] },
      { title: "<script>alert(1)</script>" },
    );
    const html = await readFile(join(root, "gallery/index.html"), "utf8");
    expect(html).toContain("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>");
    expect(html).toContain('alt="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
  });
});
