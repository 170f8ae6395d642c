import sharp from "sharp";
import { describe, expect, it } from "vitest";
import {
  convertPhoto,
  DEFAULT_RENDITION_OPTIONS,
  INSTAGRAM_LIMITS,
  planInstagramFrame,
} from "../src/index.ts";
import { encodeWithinBytes } from "../src/render-renditions.ts";
import { near, pixelAt, quadrants } from "./fixtures/images.ts";
import { expectCleanRenditions, expectPublishable } from "./fixtures/inspect.ts";

describe("imaging: the Instagram rendition", () => {
  it("keeps photos already inside 4:5 … 1.91:1 as they are, at the configured width", () => {
    expect(planInstagramFrame(4000, 3000, 1080, "pad")).toMatchObject({
      width: 1080,
      height: 810,
      mode: "fit",
    });
    expect(planInstagramFrame(4000, 5000, 1080, "pad")).toMatchObject({
      width: 1080,
      height: 1350,
      mode: "fit",
    });
    // 1080/565 would be 1.9115:1, just outside: the height rounds into range instead.
    expect(planInstagramFrame(1910, 1000, 1080, "crop")).toMatchObject({
      width: 1080,
      height: 566,
      mode: "fit",
    });
  });

  it("never enlarges past the source, except up to Instagram's 320 px minimum", () => {
    expect(planInstagramFrame(800, 600, 1080, "pad")).toMatchObject({ width: 800, height: 600 });
    expect(planInstagramFrame(100, 100, 1080, "pad")).toMatchObject({ width: 320, height: 320 });
    expect(planInstagramFrame(5000, 5000, 1440, "pad")).toMatchObject({ width: 1440, height: 1440 });
  });

  it("pads or crops panoramas and tall photos into range", () => {
    for (const [w, h] of [
      [6000, 1000],
      [1000, 6000],
      [3000, 1000],
      [1000, 3000],
      [50, 5000],
      [5000, 50],
      [1910, 1000],
      [1909, 1000],
      [800, 1000],
      [801, 1000],
      [799, 1000],
    ] as const) {
      for (const aspect of ["pad", "crop"] as const) {
        const frame = planInstagramFrame(w, h, 1080, aspect);
        const ratio = frame.width / frame.height;
        expect(ratio, `${w}x${h} ${aspect}`).toBeGreaterThanOrEqual(INSTAGRAM_LIMITS.minRatio);
        expect(ratio, `${w}x${h} ${aspect}`).toBeLessThanOrEqual(INSTAGRAM_LIMITS.maxRatio);
        expect(frame.width, `${w}x${h} ${aspect}`).toBeGreaterThanOrEqual(320);
        expect(frame.content.left + frame.content.width).toBeLessThanOrEqual(frame.width);
        expect(frame.content.top + frame.content.height).toBeLessThanOrEqual(frame.height);
      }
    }
    const tall = planInstagramFrame(1000, 3000, 1080, "pad");
    expect(tall).toMatchObject({ mode: "pad", width: 1080, height: 1350 });
    expect(tall.content).toMatchObject({ width: 450, height: 1350, left: 315, top: 0 });
    // A small tall photo keeps its own height: the frame shrinks rather than enlarging it.
    expect(planInstagramFrame(300, 900, 1080, "pad")).toMatchObject({ width: 720, height: 900 });
    expect(planInstagramFrame(300, 900, 1080, "pad").content).toMatchObject({ width: 300, height: 900 });
    expect(planInstagramFrame(100, 300, 1080, "pad")).toMatchObject({ width: 320, height: 400 });
    expect(planInstagramFrame(1000, 3000, 1080, "crop")).toMatchObject({
      mode: "crop",
      width: 1000,
      height: 1250,
    });
    expect(planInstagramFrame(3000, 1000, 1080, "crop")).toMatchObject({
      mode: "crop",
      width: 1080,
      height: 566,
    });
  });

  it("renders a panorama padded with a blurred or solid background, or cropped", async () => {
    const panorama = await quadrants(3000, 1000).jpeg().toBuffer();
    const padded = await expectCleanRenditions(await convertPhoto(panorama, DEFAULT_RENDITION_OPTIONS));
    expect(padded.renditions.instagram).toMatchObject({ width: 1080, height: 566 });
    expect(padded.renditions.web).toMatchObject({ width: 2048, height: 683 }); // the web rendition is never padded
    const white = expectPublishable(
      await convertPhoto(panorama, { ...DEFAULT_RENDITION_OPTIONS, padBackground: "white" }),
    );
    expect(near(await pixelAt(white.renditions.instagram.data, 0.5, 0.01), [255, 255, 255], 3)).toBe(true);
    expect(near(await pixelAt(white.renditions.instagram.data, 0.1, 0.4), [220, 30, 30], 30)).toBe(true);
    const cropped = await expectCleanRenditions(
      await convertPhoto(panorama, { ...DEFAULT_RENDITION_OPTIONS, aspect: "crop" }),
    );
    expect(cropped.renditions.instagram).toMatchObject({ width: 1080, height: 566 });
    // The crop fills the frame with the photo: the top row is picture, not padding.
    expect(near(await pixelAt(cropped.renditions.instagram.data, 0.5, 0.01), [255, 255, 255], 3)).toBe(false);
  });

  it("steps the JPEG quality down until the file fits, and fails by name when it cannot", async () => {
    const noise = sharp(
      Buffer.from(Array.from({ length: 300 * 300 * 3 }, () => Math.floor(Math.random() * 256))),
      {
        raw: { width: 300, height: 300, channels: 3 },
      },
    );
    const qualities: number[] = [];
    const encode = (quality: number) => {
      qualities.push(quality);
      return noise.clone().jpeg({ quality }).toBuffer();
    };
    const atTop = (await encode(95)).length;
    qualities.length = 0;
    const fitted = await encodeWithinBytes(encode, 95, Math.floor(atTop * 0.6));
    expect(fitted.length).toBeLessThanOrEqual(atTop * 0.6);
    expect(qualities[0]).toBe(95);
    expect(qualities.length).toBeGreaterThan(1);
    await expect(encodeWithinBytes(encode, 95, 1000)).rejects.toMatchObject({
      code: "too_large",
      retryable: false,
    });
  });
});
