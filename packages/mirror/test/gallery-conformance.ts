/**
 * The gallery on every transport, as part of the conformance suite: the manifest update over a
 * real server, checked on the server's side. The gallery's own rules are in gallery.test.ts.
 */
import { beforeAll, expect, it } from "vitest";
import {
  type GalleryEntry,
  galleryManifestSchema,
  type MirrorTarget,
  openSession,
  updateGallery,
} from "../src/index.ts";
import type { ConformanceSubject } from "./conformance.ts";
import { type TestPhoto, testPhotos } from "./gallery-photos.ts";

export function galleryConformance(subject: () => ConformanceSubject): void {
  let photos: TestPhoto[];
  beforeAll(async () => {
    photos = await testPhotos(0, 8);
  });

  const session = () => {
    const transport = subject().options as MirrorTarget["transports"][number];
    return openSession({ name: "gallery", transports: [transport], pathTemplate: "{name}" }, subject().deps);
  };
  const manifest = async (folder: string) => {
    const bytes = await subject().read(`${folder}/gallery.json`);
    return galleryManifestSchema.parse(JSON.parse(bytes?.toString() ?? "null"));
  };
  const listed = async (folder: string) => (await manifest(folder)).photos.map((p) => p.id).sort();
  const ids = (list: TestPhoto[]) => list.map((p) => p.entry.id).sort();

  it("keeps a gallery: whole files at their names, a manifest that parses, no temporary files", async () => {
    const s = session();
    try {
      const some = photos.slice(0, 3);
      await updateGallery(
        s,
        { entries: some.map((p) => p.entry), uploads: some.map((p) => p.upload) },
        { folder: "g1" },
      );
      expect(await listed("g1")).toEqual(ids(some));
      for (const p of some) {
        expect(await subject().read(`g1/photos/${p.entry.id}-web.jpg`)).toEqual(p.upload.web);
        expect(await subject().read(`g1/photos/${p.entry.id}-thumb.webp`)).toEqual(p.upload.thumbnail);
      }
      expect((await subject().read("g1/index.html"))?.toString()).toContain('data-id="photo0002"');
      const names = [...(await subject().list("g1")), ...(await subject().list("g1/photos"))];
      expect(names.filter((n) => n.includes(".partial"))).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it("takes a photo that leaves the gallery out of the manifest and off the host", async () => {
    const s = session();
    try {
      const some = photos.slice(0, 3);
      const uploads = some.map((p) => p.upload);
      await updateGallery(s, { entries: some.map((p) => p.entry), uploads }, { folder: "g2" });
      const [gone, ...kept] = some as [TestPhoto, ...TestPhoto[]];
      await updateGallery(
        s,
        { entries: kept.map((p) => p.entry), removed: [gone.entry.id] },
        { folder: "g2" },
      );
      expect(await listed("g2")).toEqual(ids(kept));
      expect(await subject().list("g2/photos")).toEqual(
        kept.flatMap((p) => [`${p.entry.id}-thumb.webp`, `${p.entry.id}-web.jpg`]).sort(),
      );
    } finally {
      await s.close();
    }
  });

  it("loses no entry when two invocations update the manifest at once", async () => {
    // The photo store both invocations derive the list from (in the pipeline: the photo records).
    const store = new Map<string, GalleryEntry>();
    const add = (p: TestPhoto) => {
      store.set(p.entry.id, p.entry);
    };
    const load = async () => [...store.values()];
    const [a, b, ...rest] = photos as [TestPhoto, TestPhoto, ...TestPhoto[]];
    const first = session();
    const second = session();
    try {
      // A reads the list, then B adds a photo and finishes its update before A writes: without the
      // re-check, A's stale manifest would be the last one written and B's photo would be lost.
      let release = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let loads = 0;
      const slow = updateGallery(
        first,
        {
          uploads: [a.upload],
          onPlaced: async () => add(a),
          entries: async () => {
            const list = await load();
            if (++loads === 1) await gate;
            return list;
          },
        },
        { folder: "g3" },
      );
      while (loads === 0) await new Promise((r) => setImmediate(r));
      await updateGallery(
        second,
        { uploads: [b.upload], onPlaced: async () => add(b), entries: load },
        { folder: "g3" },
      );
      release();
      expect((await slow).rounds).toBe(2);
      expect(await listed("g3")).toEqual(ids([a, b]));

      // And a storm: each invocation starts just after the previous one first loaded the list (so
      // that one's list lacks the new photo); all run at the same time.
      const more = [first, second, session(), session()];
      let previousLoaded = Promise.resolve();
      await Promise.all(
        more.map((s, i) => {
          const p = rest[i] as TestPhoto;
          let loaded = () => {};
          const waitForMe = previousLoaded;
          previousLoaded = new Promise<void>((resolve) => (loaded = resolve));
          const entries = async () => {
            const list = await load();
            loaded();
            return list;
          };
          return waitForMe.then(() =>
            updateGallery(
              s,
              { uploads: [p.upload], onPlaced: async () => add(p), entries },
              { folder: "g3" },
            ),
          );
        }),
      );
      expect(await listed("g3")).toEqual([...store.keys()].sort());
      await Promise.all(more.slice(2).map((s) => s.close()));
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
}
