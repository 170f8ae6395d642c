import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "../src/index.ts";
import { HEIC_QUADRANTS, HEIC_QUADRANTS_P3 } from "./fixtures/heic-quadrants.ts";
import { near, pixelAt, QUADRANT_COLOURS, quadrantPixels, quadrants } from "./fixtures/images.ts";
import { expectCleanImage, expectCleanRenditions } from "./fixtures/inspect.ts";
import { tiffHeader, writeTiff } from "./fixtures/tiff-writer.ts";

const options = DEFAULT_RENDITION_OPTIONS;

/** The quadrant colours must survive any format (within lossy-codec tolerance). */
async function expectQuadrants(image: Buffer, tolerance = 30): Promise<void> {
  expect(near(await pixelAt(image, 0.25, 0.25), QUADRANT_COLOURS.topLeft, tolerance)).toBe(true);
  expect(near(await pixelAt(image, 0.75, 0.25), QUADRANT_COLOURS.topRight, tolerance)).toBe(true);
  expect(near(await pixelAt(image, 0.25, 0.75), QUADRANT_COLOURS.bottomLeft, tolerance)).toBe(true);
  expect(near(await pixelAt(image, 0.75, 0.75), QUADRANT_COLOURS.bottomRight, tolerance)).toBe(true);
}

describe("imaging: every input format becomes three clean renditions", () => {
  const img = () => quadrants(640, 480);
  const cases: [string, () => Promise<Buffer>][] = [
    ["baseline jpeg", () => img().jpeg({ quality: 95 }).toBuffer()],
    ["progressive jpeg", () => img().jpeg({ quality: 95, progressive: true }).toBuffer()],
    ["8-bit png", () => img().png().toBuffer()],
    ["lossy webp", () => img().webp({ quality: 95 }).toBuffer()],
    ["lossless webp", () => img().webp({ lossless: true }).toBuffer()],
    ["gif", () => img().gif().toBuffer()],
    ["8-bit tiff", () => img().tiff().toBuffer()],
    ["avif", () => img().avif({ quality: 80, effort: 0 }).toBuffer()],
  ];
  for (const [name, make] of cases) {
    it(`converts ${name}`, async () => {
      const result = await expectCleanRenditions(await convertPhoto(await make(), options));
      expect(result.metadata).toMatchObject({ width: 640, height: 480 });
      // 4:3 is inside Instagram's range: no padding, the width is the source's (never enlarged).
      expect(result.renditions.instagram).toMatchObject({ width: 640, height: 480 });
      expect(result.renditions.web).toMatchObject({ width: 640, height: 480 });
      expect(result.renditions.thumbnail).toMatchObject({ width: 400, height: 300 });
      await expectQuadrants(result.renditions.instagram.data);
      await expectQuadrants(result.renditions.thumbnail.data);
    });
  }

  it("converts 16-bit PNG and 16-bit TIFF down to 8-bit sRGB", async () => {
    const png16 = await quadrants(64, 48).toColourspace("rgb16").png().toBuffer();
    // sharp writes 8-bit TIFF only, so the 16-bit TIFF is laid out by hand (uncompressed RGB).
    const samples = new Uint16Array(quadrantPixels(64, 48)).map((v) => v * 257);
    const tiff16 = writeTiff(
      tiffHeader(),
      [
        {
          entries: {
            256: { long: [64] },
            257: { long: [48] },
            258: { short: [16, 16, 16] },
            259: { short: [1] },
            262: { short: [2] },
            273: { blobOffset: 0 },
            277: { short: [3] },
            278: { long: [48] },
            279: { blobLength: 0 },
          },
        },
      ],
      [Buffer.from(samples.buffer)],
    );
    for (const input of [png16, tiff16]) {
      expect((await sharp(input).metadata()).depth).toBe("ushort");
      const result = await expectCleanImage(await convertPhoto(input, options));
      await expectQuadrants(result.renditions.web.data);
    }
  });

  it("lays transparent areas over white", async () => {
    const rgba = await sharp({
      create: { width: 400, height: 400, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .composite([{ input: await quadrants(200, 400).png().toBuffer(), left: 0, top: 0 }])
      .png()
      .toBuffer();
    for (const input of [rgba, await sharp(rgba).webp({ lossless: true }).toBuffer()]) {
      const result = await expectCleanRenditions(await convertPhoto(input, options));
      expect(near(await pixelAt(result.renditions.web.data, 0.9, 0.5), [255, 255, 255], 4)).toBe(true);
      expect(near(await pixelAt(result.renditions.web.data, 0.2, 0.2), QUADRANT_COLOURS.topLeft, 20)).toBe(
        true,
      );
    }
  });

  it("takes the first frame of an animated GIF and WebP", async () => {
    const frame = (colour: string) =>
      sharp({ create: { width: 64, height: 64, channels: 3, background: colour } })
        .png()
        .toBuffer();
    const frames = [await frame("#ff0000"), await frame("#0000ff"), await frame("#00ff00")];
    for (const format of ["gif", "webp"] as const) {
      const animated = await sharp(frames, { join: { animated: true } })
        [format]()
        .toBuffer();
      expect((await sharp(animated, { animated: true }).metadata()).pages).toBe(3);
      const result = await expectCleanImage(await convertPhoto(animated, options));
      expect(result.metadata.height).toBe(64);
      expect(near(await pixelAt(result.renditions.web.data, 0.5, 0.5), [255, 0, 0], 40)).toBe(true);
    }
  });

  it("converts CMYK JPEGs with and without an ICC profile to sRGB", async () => {
    const cmyk = await img().withIccProfile("cmyk").jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe("cmyk");
    const noProfile = await img().toColourspace("cmyk").jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(noProfile).metadata()).icc).toBeUndefined();
    for (const input of [cmyk, noProfile]) {
      const result = await expectCleanRenditions(await convertPhoto(input, options));
      // Saturated blue is outside CMYK's gamut, so compare with libvips's own CMYK→sRGB reading.
      for (const [x, y] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        const expected = await pixelAt(input, x, y);
        expect(near(await pixelAt(result.renditions.web.data, x, y), expected, 6)).toBe(true);
      }
    }
  });

  it("converts wide-gamut (Display P3) pixels into sRGB values", async () => {
    const p3 = await img().withIccProfile("p3").jpeg({ quality: 95 }).toBuffer();
    const raw = await pixelAt(await sharp(p3, { ignoreIcc: true }).png().toBuffer(), 0.25, 0.25);
    expect(near(raw, QUADRANT_COLOURS.topLeft, 10)).toBe(false); // stored as P3 numbers…
    const result = await expectCleanRenditions(await convertPhoto(p3, options));
    await expectQuadrants(result.renditions.web.data, 12); // …shown as the same sRGB colours
  });

  it("decodes HEIC through WebAssembly libheif", async () => {
    const result = await expectCleanImage(await convertPhoto(HEIC_QUADRANTS, options));
    expect(result.metadata).toMatchObject({ format: "heic", width: 64, height: 48 });
    await expectQuadrants(result.renditions.web.data, 40);
    // 64 px wide: Instagram's minimum is 320, and a photo is never enlarged to be posted.
    expect(result.instagram).toMatchObject({ status: "refused", code: "too_small" });
  });

  it("reads a Display P3 HEIC (as iPhones write) into sRGB colours", async () => {
    const result = await expectCleanImage(await convertPhoto(HEIC_QUADRANTS_P3, options));
    await expectQuadrants(result.renditions.web.data, 12);
  });

  it("scales a big photo to each rendition's size", async () => {
    const big = await sharp(quadrantPixels(3000, 2000), { raw: { width: 3000, height: 2000, channels: 3 } })
      .jpeg()
      .toBuffer();
    const result = await expectCleanRenditions(await convertPhoto(big, options));
    expect(result.renditions.instagram).toMatchObject({ width: 1080, height: 720 });
    expect(result.renditions.web).toMatchObject({ width: 2048, height: 1365 });
    expect(result.renditions.thumbnail).toMatchObject({ width: 400, height: 267 });
  });
});
