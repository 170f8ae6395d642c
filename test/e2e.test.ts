/**
 * End to end on the local stack: photos dropped into the agent's inbox end up converted, mirrored
 * to the web folder, published in the Graph API sandbox, archived, and shown by the API — and the
 * same photo dropped twice is published once; a phone video is published as a Reel; a non-image
 * is reported, not crashed on. Every
 * function runs from the bundle `npm run build:functions` built (the file `sst deploy` uploads),
 * in a worker with the environment and links Lambda gives it.
 */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type Config, createLogger } from "@photo-relay/core";
import { type LocalStack, startLocalStack } from "@photo-relay/local-stack";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { phoneClip } from "../packages/video/test/fixtures/phone-clips.ts";
import { freshBundles } from "../scripts/function-build.ts";
import { cameraJpeg, pngWithAlpha, webp } from "./support/photos.ts";
import { waitFor } from "./support/wait.ts";

/** Real-world files from the shared corpus, when CI points MEDIA_CORPUS at it. */
const CORPUS = [
  "orientation/Landscape_6.jpg",
  "gps/nikon-coolpix-p6000_gps.jpg",
  "formats/png_rgba_blackbug.png",
];

let stack: LocalStack;
let root: string;
let inbox: string;
let processed: string;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${stack.apiToken}`,
      "content-type": "application/json",
      ...init.headers,
    },
  });
  return { status: res.status, body: (await res.json()) as T };
}

const photos = async () => (await api<{ photos: PhotoRecord[] }>("/photos?limit=200")).body.photos;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "photo-relay-e2e-"));
  inbox = join(root, "inbox");
  processed = join(root, "processed");
  const bundles = await freshBundles(["api", "convert", "mirror", "publish", "reel", "deadLetter"]);
  stack = await startLocalStack({
    bundles,
    dataDir: join(root, ".data"),
    inbox,
    processedDir: processed,
    // The agent's photos are grouped into bursts: decided 2 s after their last frame joined.
    settings: { instagram: { checkDelaysSeconds: [1] }, bursts: { settleSeconds: 2 } },
    graphProcessingMs: 300,
    agentOptions: { stableMs: 300, graceMs: 2000, scanIntervalMs: 1000 },
    logger: createLogger("e2e", { level: "WARN" }),
    env: {},
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe("photo-relay end to end on the local stack", () => {
  const dropped: string[] = [];

  it("publishes, mirrors, archives and lists every photo dropped into the inbox", async () => {
    const files: Array<[string, Buffer]> = [
      ["DSC_0001.JPG", await cameraJpeg({ width: 1600, height: 1000, seed: 1 }, 6)],
      ["wide-pano.jpg", await cameraJpeg({ width: 2400, height: 600, seed: 2 })],
      ["screenshot.png", await pngWithAlpha({ width: 800, height: 1400, seed: 3 })],
      ["phone.webp", await webp({ width: 1200, height: 900, seed: 4 })],
    ];
    for (const [name, data] of files) writeFileSync(join(inbox, name), data);
    dropped.push(...files.map(([name]) => name));
    const corpus = process.env.MEDIA_CORPUS;
    if (corpus) {
      for (const rel of CORPUS) {
        expect(existsSync(join(corpus, rel)), `corpus file ${rel}`).toBe(true);
        copyFileSync(join(corpus, rel), join(inbox, basename(rel)));
        dropped.push(basename(rel));
      }
    }

    const done = await waitFor(
      async () => {
        const list = await photos();
        return list.length === dropped.length && list.every((p) => p.status === "done") && list;
      },
      `${dropped.length} photos done`,
      { timeoutMs: 60_000 },
    );

    for (const photo of done) {
      expect(photo.stages.convert.status).toBe("done");
      expect(photo.stages.mirror.status).toBe("done");
      expect(photo.stages.publish).toMatchObject({ status: "done", mediaId: expect.any(String) });
      // Mirrored: the public URL serves the web rendition.
      const url = photo.stages.mirror.files?.[0]?.publicUrl;
      expect(url).toBeDefined();
      const res = await fetch(url as string);
      expect(res.headers.get("content-type")).toContain("image/jpeg");
      // Published in the sandbox, with the JPEG Instagram downloaded within its rules.
      const media = stack.sandbox.state.media.get(photo.stages.publish.mediaId as string);
      expect(media?.mediaType).toBe("IMAGE");
      const container = stack.sandbox.state.containers.get(media?.containerId as string);
      const meta = await sharp(await stack.sandbox.state.readImage(container?.id ?? "")).metadata();
      expect(meta.format).toBe("jpeg");
      expect(meta.exif, "no EXIF (and so no GPS) in what Instagram received").toBeUndefined();
      const ratio = (meta.width ?? 0) / (meta.height ?? 1);
      expect(ratio).toBeGreaterThanOrEqual(0.8);
      expect(ratio).toBeLessThanOrEqual(1.91);
    }
    // EXIF orientation 6: the 1600×1000 sensor image is upright portrait.
    const rotated = done.find((p) => p.originalName === "DSC_0001.JPG");
    expect(rotated).toMatchObject({ width: 1000, height: 1600, camera: expect.stringContaining("D800") });
    // Its journey, step by step, through the API.
    const { body: one } = await api<PhotoRecord>(`/photos/${rotated?.id}`);
    const steps = one.journey.map((e) => `${e.stage}:${e.status}`);
    expect(steps.slice(0, 2)).toEqual(["convert:running", "convert:done"]);
    expect(steps).toEqual(expect.arrayContaining(["mirror:done", "publish:waiting", "publish:done"]));
    expect(steps.indexOf("publish:done")).toBeGreaterThan(steps.indexOf("convert:done"));

    // Archived: every original moved to processed/.
    await waitFor(() => dropped.every((name) => existsSync(join(processed, name))), "originals archived");
    expect(readdirSync(inbox).filter((n) => !n.startsWith("."))).toEqual([]);
    expect(stack.sandbox.state.media.size).toBe(dropped.length);
  });

  it("publishes the same photo dropped twice only once", async () => {
    const before = stack.sandbox.state.media.size;
    const again = join(processed, "DSC_0001.JPG");
    copyFileSync(again, join(inbox, "DSC_0001-copy.JPG"));
    await waitFor(() => existsSync(join(processed, "DSC_0001-copy.JPG")), "the copy archived");
    // The copy has the same bytes, so the same id: one photo, still done, never re-published.
    const list = await photos();
    expect(list).toHaveLength(dropped.length);
    const { body: status } = await api<{ queues: Record<string, { visible: number; inFlight: number }> }>(
      "/status",
    );
    await waitFor(async () => {
      const { body } = await api<typeof status>("/status");
      return Object.values(body.queues).every((q) => q.visible === 0 && q.inFlight === 0);
    }, "queues drained");
    expect(stack.sandbox.state.media.size).toBe(before);
    expect(stack.sandbox.state.publishLog).toHaveLength(before);
  });

  it("captions a photo from the sidecar .txt beside it, and archives both", async () => {
    const caption = "First dance at the old mill — Anna & Ben #wedding";
    writeFileSync(join(inbox, "DSC_0100.txt"), caption);
    writeFileSync(join(inbox, "DSC_0100.JPG"), await cameraJpeg({ width: 1200, height: 800, seed: 100 }));
    const photo = await waitFor(
      async () => (await photos()).find((p) => p.originalName === "DSC_0100.JPG" && p.status === "done"),
      "the captioned photo published",
    );
    const media = stack.sandbox.state.media.get(photo.stages.publish.mediaId as string);
    expect(media?.caption).toContain(caption);
    await waitFor(() => existsSync(join(processed, "DSC_0100.txt")), "the sidecar archived with its photo");
    expect(existsSync(join(inbox, "DSC_0100.txt"))).toBe(false);
  });

  it("publishes a rotated phone MOV as a Reel, transcoded upright by the Reel function's ffmpeg", async () => {
    const clip = await phoneClip("rotated", mkdtempSync(join(tmpdir(), "e2e-clip-")));
    copyFileSync(clip, join(inbox, "IMG_0042.MOV"));
    const photo = await waitFor(
      async () => (await photos()).find((p) => p.originalName === "IMG_0042.MOV" && p.status === "done"),
      "the video published as a Reel",
      { timeoutMs: 60_000 },
    );
    expect(photo.video?.reel).toMatchObject({ kind: "transcoded", probe: { width: 360, height: 640 } });
    const media = stack.sandbox.state.media.get(photo.stages.publish.mediaId as string);
    expect(media).toMatchObject({ mediaType: "VIDEO", productType: "REELS" });
    const container = stack.sandbox.state.containers.get(media?.containerId as string);
    expect(container?.videoProbe).toMatchObject({
      ok: true,
      video: { entry: "avc1", width: 360, height: 640 },
    });
    expect(container?.coverUrl).toContain(`renditions/${photo.id}/reel-cover.jpg`);
  });

  it("reports a non-image file as a rejected item instead of crashing on it, and keeps running", async () => {
    writeFileSync(join(inbox, "notes.txt"), "shot list: ceremony, rings, first dance\n");
    const refused = await waitFor(
      async () => (await photos()).find((p) => p.originalName === "notes.txt" && p.status === "rejected"),
      "the text file reported as rejected",
    );
    expect(refused.rejection?.reason.code).toBe("unknown_kind");
    writeFileSync(join(inbox, "after.jpg"), await cameraJpeg({ width: 900, height: 900, seed: 9 }));
    const after = await waitFor(
      async () => (await photos()).find((p) => p.originalName === "after.jpg" && p.status === "done"),
      "a photo after the bad file",
    );
    expect(after.stages.publish.mediaId).toBeDefined();
    expect(existsSync(join(root, "rejected", "notes.txt"))).toBe(true);
  });

  it("answers from the API function's bundle, with its own links and the settings document Lambda would give it", async () => {
    const { body } = await api<{ config: { settings: Config } }>("/status");
    const { settings } = body.config;
    expect(settings.instagram.checkDelaysSeconds).toEqual([1]); // from PHOTO_RELAY_SETTINGS
    expect(settings.sqs.publishDlqUrl).toBeDefined(); // linked to the API: it shows the depths
    expect(settings.alerts.topicArn).toBeUndefined(); // linked to the dead-letter function only
    expect(stack.config.alerts.topicArn).toBeDefined();
  });

  it("answers the API with JSON errors, and only with the bearer token", async () => {
    const res = await fetch(`${stack.urls.api}/photos`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect((await api("/photos/not-an-id")).status).toBe(400);
    expect((await api(`/photos/${"0".repeat(64)}`)).status).toBe(404);
    expect((await fetch(`${stack.urls.api}/health`)).status).toBe(200);
  });
});
