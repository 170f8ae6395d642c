import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS, type RenderedImage } from "../src/index.ts";
import { checkInstagramRendition } from "../src/instagram-rules.ts";
import { zeroPng } from "./fixtures/broken.ts";
import { quadrants } from "./fixtures/images.ts";
import { expectCleanImage, expectCleanRenditions } from "./fixtures/inspect.ts";

const options = DEFAULT_RENDITION_OPTIONS;

/** Converts `input`, expecting web and thumbnail but the Instagram rendition refused with `code`. */
async function expectRefused(input: Buffer, code: string) {
  const result = await expectCleanImage(await convertPhoto(input, options));
  expect(result.instagram).toMatchObject({ status: "refused", code });
  expect(Object.keys(result.renditions).sort()).toEqual(["thumbnail", "web"]);
  return result;
}

/** A smooth, slightly noisy gradient: a clear sky, the least detailed photo that is still a photo. */
function sky(width: number, height: number, noise = 0): Sharp {
  const px = Buffer.alloc(width * height * 3);
  let seed = 7;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const n = noise ? ((seed >>> 16) / 65536 - 0.5) * 2 * noise : 0;
      px[i] = 90 + (30 * y) / height + n;
      px[i + 1] = 140 + (30 * y) / height + n;
      px[i + 2] = 220 + n;
    }
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

const jpeg = (data: Buffer, width: number, height: number): RenderedImage => ({
  data,
  contentType: "image/jpeg",
  width,
  height,
});

describe("imaging: Instagram's rules, checked before anything is posted", () => {
  it("never enlarges a photo narrower than 320 px to post it, but still makes its web rendition", async () => {
    const narrow = await expectRefused(await quadrants(319, 400).jpeg().toBuffer(), "too_small");
    expect(narrow.renditions.web).toMatchObject({ width: 319, height: 400 });
    if (narrow.instagram.status !== "refused") throw new Error("expected a refusal");
    expect(narrow.instagram.reason).toContain("319x400");
    const tiny = await expectRefused(await quadrants(1, 1).png().toBuffer(), "too_small");
    expect(tiny.renditions.thumbnail).toMatchObject({ width: 1, height: 1 });
    const enough = await expectCleanRenditions(
      await convertPhoto(await quadrants(320, 400).jpeg().toBuffer(), options),
    );
    expect(enough.renditions.instagram).toMatchObject({ width: 320, height: 400 });
  });

  it("refuses a photo of one flat colour, a lens-cap frame and a bomb that decodes to zeros", async () => {
    const flat = sharp({ create: { width: 2000, height: 1500, channels: 3, background: "#808080" } });
    const refusal = (await expectRefused(await flat.jpeg().toBuffer(), "blank")).instagram;
    expect(refusal).toMatchObject({ reason: expect.stringContaining("128, 128, 128") });
    await expectRefused(await sky(1600, 1200, 0.8).linear(0.05, 2).jpeg().toBuffer(), "blank");
    const bomb = zeroPng(6000, 6000); // 36 Mpixel from a few kilobytes
    expect(bomb.length).toBeLessThan(100_000);
    await expectRefused(bomb, "blank");
  });

  it("posts the least detailed photos that are still photos: a clear sky, a dark night", async () => {
    await expectCleanRenditions(await convertPhoto(await sky(1600, 1200).jpeg().toBuffer(), options));
    const night = await sky(1600, 1200, 6).linear(0.3, 0).jpeg().toBuffer(); // ~4 levels of spread
    await expectCleanRenditions(await convertPhoto(night, options));
  });

  it("refuses a sliver that would fill under a fifth of the posted frame, pads a panorama", async () => {
    await expectRefused(await quadrants(4000, 300).jpeg().toBuffer(), "extreme_aspect");
    await expectRefused(await quadrants(400, 3000).jpeg().toBuffer(), "extreme_aspect");
    const crop = await convertPhoto(await quadrants(4000, 300).jpeg().toBuffer(), {
      ...options,
      aspect: "crop",
    });
    expect(crop).toMatchObject({ instagram: { code: "extreme_aspect" } });
    const panorama = await expectCleanRenditions(
      await convertPhoto(await quadrants(3600, 1000).jpeg().toBuffer(), options),
    );
    expect(panorama.renditions.instagram).toMatchObject({ width: 1080, height: 566 });
  });

  it("checks the encoded rendition: JPEG only, one image, ≤ 8 MB, 320 … 1440 px, 4:5 … 1.91:1, sRGB", async () => {
    const good = await quadrants(1080, 1080).withIccProfile("srgb").jpeg().toBuffer();
    expect(await checkInstagramRendition(jpeg(good, 1080, 1080))).toBeUndefined();
    const cases: [string, RenderedImage][] = [
      ["not_jpeg", jpeg(await quadrants(1080, 1080).png().toBuffer(), 1080, 1080)],
      ["not_jpeg", jpeg(Buffer.concat([good, good]), 1080, 1080)], // an MPO-like pair
      ["file_size", jpeg(Buffer.concat([good, Buffer.alloc(8_000_001)]), 1080, 1080)],
      ["width", jpeg(await quadrants(300, 300).withIccProfile("srgb").jpeg().toBuffer(), 300, 300)],
      ["width", jpeg(await quadrants(1600, 1600).withIccProfile("srgb").jpeg().toBuffer(), 1600, 1600)],
      ["aspect_ratio", jpeg(await quadrants(1080, 300).withIccProfile("srgb").jpeg().toBuffer(), 1080, 300)],
      ["colour_space", jpeg(await quadrants(1080, 1080).withIccProfile("p3").jpeg().toBuffer(), 1080, 1080)],
      ["colour_space", jpeg(await quadrants(1080, 1080).greyscale().jpeg().toBuffer(), 1080, 1080)],
    ];
    for (const [code, image] of cases) {
      expect(await checkInstagramRendition(image), code).toMatchObject({ status: "refused", code });
    }
  });

  it("writes every rendition it makes within those rules (progressive web JPEGs included)", async () => {
    for (const [w, h] of [
      [4000, 3000],
      [3000, 4000],
      [6000, 1000],
      [320, 240],
    ] as const) {
      const result = await expectCleanRenditions(
        await convertPhoto(await quadrants(w, h).jpeg().toBuffer(), options),
      );
      expect(await checkInstagramRendition(result.renditions.instagram), `${w}x${h}`).toBeUndefined();
    }
  });
});
