import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { developRaw } from "../src/develop-raw.ts";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "../src/index.ts";
import { cfaDng } from "./fixtures/dng-cfa.ts";
import {
  near,
  pictureDistance,
  pixelAt,
  QUADRANT_COLOURS,
  quadrantPixels,
  quadrants,
} from "./fixtures/images.ts";
import { expectCleanImage, expectCleanRenditions } from "./fixtures/inspect.ts";

const options = DEFAULT_RENDITION_OPTIONS;
const thumbnailSize = { width: 160, height: 120 };
const thumbnail = () => quadrants(160, 120).raw().toBuffer();

/** The quadrant picture with its colours inverted: tells a preview's pixels from the sensor's. */
function invertedPixels(width: number, height: number): Buffer {
  return Buffer.from(quadrantPixels(width, height).map((v) => 255 - v));
}

describe("imaging: camera RAW developed from the sensor data with LibRaw", () => {
  it("develops a DNG that carries only a thumbnail to its full sensor size", async () => {
    const dng = cfaDng({ width: 600, height: 400, thumbnail: await thumbnail(), thumbnailSize });
    const result = await expectCleanRenditions(await convertPhoto(dng, options));
    expect(result.metadata).toMatchObject({
      format: "dng",
      width: 600,
      height: 400,
      captureTime: "2024-01-02T03:04:05",
    });
    expect(result.renditions.web).toMatchObject({ width: 600, height: 400 });
    // Demosaiced, white-balanced and turned into sRGB: the picture's colours, not the Bayer mosaic's.
    const web = result.renditions.web.data;
    expect(near(await pixelAt(web, 0.25, 0.25), QUADRANT_COLOURS.topLeft, 30)).toBe(true);
    expect(near(await pixelAt(web, 0.75, 0.25), QUADRANT_COLOURS.topRight, 30)).toBe(true);
    expect(near(await pixelAt(web, 0.25, 0.75), QUADRANT_COLOURS.bottomLeft, 30)).toBe(true);
    expect(near(await pixelAt(web, 0.75, 0.75), QUADRANT_COLOURS.bottomRight, 30)).toBe(true);
    expect(await pictureDistance(web, await quadrants(600, 400).png().toBuffer())).toBeLessThan(20);
  });

  it("develops NEF, ARW and PEF sensor data with each camera's own LibRaw decoder", async () => {
    for (const [format, make, model] of [
      ["nef", "NIKON CORPORATION", "NIKON D800"],
      ["arw", "SONY", "ILCE-7M3"],
      ["pef", "PENTAX", "PENTAX K-5"],
    ] as const) {
      const raw = cfaDng({
        width: 600,
        height: 400,
        thumbnail: await thumbnail(),
        thumbnailSize,
        camera: { make, model },
      });
      const result = await expectCleanImage(await convertPhoto(raw, options));
      // LibRaw knows these bodies: their own margins (the D800 loses a few columns) and colour matrices.
      expect(result.metadata, model).toMatchObject({ format, height: 400 });
      expect(result.metadata.width, model).toBeGreaterThan(540);
      const [r, g, b] = await pixelAt(result.renditions.web.data, 0.25, 0.25);
      expect(r, model).toBeGreaterThan(Math.max(g, b) + 100); // the red quadrant is still red
      const [r2, g2, b2] = await pixelAt(result.renditions.web.data, 0.75, 0.25);
      expect(g2, model).toBeGreaterThan(Math.max(r2, b2) + 100);
    }
  });

  it("turns the developed picture upright by the RAW's orientation", async () => {
    const upright = await quadrants(600, 400).png().toBuffer();
    for (const [orientation, stored] of [
      [6, quadrants(600, 400).rotate(270)],
      [3, quadrants(600, 400).rotate(180)],
      [8, quadrants(600, 400).rotate(90)],
    ] as const) {
      const { data, info } = await stored.raw().toBuffer({ resolveWithObject: true });
      const dng = cfaDng({ ...info, pixels: data, orientation, thumbnail: await thumbnail(), thumbnailSize });
      const result = await expectCleanImage(await convertPhoto(dng, options));
      expect(result.metadata, `orientation ${orientation}`).toMatchObject({ width: 600, height: 400 });
      expect(
        await pictureDistance(result.renditions.web.data, upright),
        `orientation ${orientation}`,
      ).toBeLessThan(20);
    }
  });

  it("keeps the fast path when the embedded preview is full size", async () => {
    // The preview shows the inverted picture: if it is what comes out, LibRaw was never asked.
    const preview = await sharp(invertedPixels(600, 400), { raw: { width: 600, height: 400, channels: 3 } })
      .jpeg()
      .toBuffer();
    const dng = cfaDng({ width: 600, height: 400, thumbnail: await thumbnail(), thumbnailSize, preview });
    const result = await expectCleanImage(await convertPhoto(dng, options));
    const inverted = await sharp(invertedPixels(600, 400), { raw: { width: 600, height: 400, channels: 3 } })
      .png()
      .toBuffer();
    expect(await pictureDistance(result.renditions.web.data, inverted)).toBeLessThan(8);
  });

  it("falls back to the preview it has when the sensor data cannot be developed", async () => {
    const preview = await quadrants(160, 120).jpeg().toBuffer();
    const dng = cfaDng({ width: 600, height: 400, thumbnail: await thumbnail(), thumbnailSize, preview });
    // Cut the mosaic: the file can no longer hold the 600x400 samples it declares.
    const cut = dng.subarray(0, dng.length - 600 * 400 * 2 + 1000);
    const result = await expectCleanImage(await convertPhoto(cut, options));
    expect(result.metadata).toMatchObject({ width: 160, height: 120 });
    expect(result.instagram).toMatchObject({ status: "refused", code: "too_small" });
  });

  it("fails by name, fast, when neither a preview nor the sensor data can be had", async () => {
    const dng = cfaDng({ width: 600, height: 400, thumbnail: Buffer.alloc(0), thumbnailSize });
    const started = performance.now();
    await expect(convertPhoto(dng.subarray(0, 2000), options)).rejects.toMatchObject({ code: "no_preview" });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("gives up on LibRaw at its deadline, and names the timeout", async () => {
    const dng = cfaDng({ width: 600, height: 400, thumbnail: await thumbnail(), thumbnailSize });
    // 5 ms: LibRaw's thread cannot even start in that time; the worker is terminated, not left running.
    await expect(
      developRaw(dng, { maxInputPixels: 1e8, halfSize: false, timeoutMs: 5 }),
    ).rejects.toMatchObject({
      code: "timeout",
      retryable: false,
    });
    const developed = await developRaw(dng, { maxInputPixels: 1e8, halfSize: true, timeoutMs: 30_000 });
    expect(developed).toMatchObject({ width: 300, height: 200 }); // half size: 2×2 photosites a pixel
  });

  it("refuses a sensor image over the pixel budget before demosaicing it", async () => {
    const dng = cfaDng({ width: 600, height: 400, thumbnail: await thumbnail(), thumbnailSize });
    await expect(convertPhoto(dng, { ...options, maxInputPixels: 100_000 })).rejects.toMatchObject({
      code: "too_many_pixels",
    });
  });
});
