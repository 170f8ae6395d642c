/**
 * The mirror stage keeps a live gallery on a target (a local folder here; the browser test does it
 * over FTPS): every converted photo joins it, a burst shows its lead at once and its pick once
 * decided (the lead's files go), and a photo the owner takes out leaves it, files and all.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@photo-relay/local-stack";
import { galleryManifestSchema } from "@photo-relay/mirror";
import { removeFromGallery, returnToGallery } from "@photo-relay/pipeline/api";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { drawnScene, shootBurst } from "../../imaging/test/fixtures/bursts.ts";
import { uploadFrames } from "./fixtures/burst-stack.ts";
import { CAMERAS, type LabelledFrame } from "./fixtures/labelled-bursts.ts";

let stack: LocalStack;
const root = mkdtempSync(join(tmpdir(), "photo-relay-gallery-"));
const folder = join(root, "event");

beforeAll(async () => {
  stack = await testStack({
    settings: {
      bursts: { settleSeconds: 3 },
      mirror: {
        targets: [
          {
            name: "web",
            transports: [{ type: "local", root }],
            gallery: { folder: "event", title: "Anna & Ben", pollSeconds: 1, pageSize: 4 },
          },
        ],
      },
    },
  });
});
afterAll(async () => {
  await stack?.stop();
});

/** The ids the gallery lists, newest first, read from its manifest and older pages on disk. */
function listed(): string[] {
  const path = join(folder, "gallery.json");
  if (!existsSync(path)) return [];
  const manifest = galleryManifestSchema.parse(JSON.parse(readFileSync(path, "utf8")));
  const older = manifest.older.flatMap(
    (page) => JSON.parse(readFileSync(join(folder, page.src), "utf8")).photos,
  );
  return [...manifest.photos, ...older].map((p: { id: string }) => p.id);
}
const hasFiles = (id: string) => existsSync(join(folder, "photos", `${id}-web.jpg`));
const until = (what: string, probe: () => boolean) =>
  waitFor(() => probe() || undefined, what, { timeoutMs: 60_000 });

describe("mirror: the live gallery", () => {
  it("shows every converted photo, paged, with its files", async () => {
    const ids: string[] = [];
    for (let seed = 1; seed <= 6; seed++)
      ids.push(await uploadOriginal(stack, await cameraJpeg({ width: 900, height: 600, seed: 600 + seed })));
    await until("six photos in the gallery", () => ids.every((id) => listed().includes(id)));
    expect(listed()).toHaveLength(6);
    for (const id of ids) expect(hasFiles(id)).toBe(true);
    expect(readFileSync(join(folder, "index.html"), "utf8")).toContain("Anna &amp; Ben");
    const photo = await stack.runtime.photos.require(ids[0] as string);
    expect(photo.stages.mirror.status).toBe("done");
  });

  it("shows a burst's lead at once, then swaps it for the burst's pick", async () => {
    const [sharpFrame, ...soft] = await shootBurst(await drawnScene(4242, 900, 600), 4242);
    // The blurred frames come first, so the lead (the first one converted) is not the pick.
    const frames: LabelledFrame[] = await Promise.all(
      [...soft, sharpFrame].map(async (f, i) => ({
        jpeg: await sharp(f?.jpeg)
          .withExif({
            IFD0: { Make: "NIKON CORPORATION", Model: "NIKON D800" },
            IFD2: {
              DateTimeOriginal: "2026:06:12 18:30:00",
              SubSecTimeOriginal: String(100 + i * 150),
              BodySerialNumber: "42",
            },
          })
          .jpeg()
          .toBuffer(),
        scene: "mill",
        camera: CAMERAS[0] as LabelledFrame["camera"],
        sharp: f === sharpFrame,
        label: f?.label ?? "",
        at: i * 150,
      })),
    );
    const uploaded = [...(await uploadFrames(stack, frames.slice(0, 1)))];
    const [leadId] = uploaded[0] ?? [];
    await until("the lead in the gallery", () => listed().includes(leadId as string));
    const rest = [...(await uploadFrames(stack, frames.slice(1), 1))];
    const [pickId] = rest.find(([, f]) => f.sharp) ?? [];
    await until("the pick in the gallery, the lead gone", () => {
      const ids = listed();
      return ids.includes(pickId as string) && !ids.includes(leadId as string);
    });
    const lead = await waitForPhoto(
      stack,
      leadId as string,
      (p) => p.burst?.role === "alternate",
      "lead decided",
    );
    expect(lead.burst).toMatchObject({ lead: true, role: "alternate" });
    // No other frame of the burst ever showed, and the lead's files are gone with it.
    for (const [id] of rest) if (id !== pickId) expect(listed()).not.toContain(id);
    await until("the lead's files removed", () => !hasFiles(leadId as string));
    expect(hasFiles(pickId as string)).toBe(true);
  });

  it("takes out a photo the owner holds back, files and all, and puts it back", async () => {
    const id = await uploadOriginal(stack, await cameraJpeg({ width: 900, height: 600, seed: 700 }));
    await until("in the gallery", () => listed().includes(id));
    const hidden = await removeFromGallery(stack.runtime, id);
    expect(hidden.galleryHidden).toBeDefined();
    await until("out of the gallery, files removed", () => !listed().includes(id) && !hasFiles(id));
    await returnToGallery(stack.runtime, id);
    await until("back in the gallery", () => listed().includes(id) && hasFiles(id));
  });
});
