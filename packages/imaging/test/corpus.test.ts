/**
 * The real-world media corpus (shared/media, see its MANIFEST.md), read through MEDIA_CORPUS. Without
 * the variable this file is skipped (the generated fixtures of the other files cover every case);
 * with it, every listed file must be present: a missing file fails the suite.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS, extractRawPreview, ImagingError } from "../src/index.ts";
import { pictureDistance } from "./fixtures/images.ts";
import { expectCleanImage, expectCleanRenditions, readBack } from "./fixtures/inspect.ts";

const corpus = process.env.MEDIA_CORPUS;
const options = DEFAULT_RENDITION_OPTIONS;
if (!corpus) {
  console.warn("imaging corpus tests skipped: MEDIA_CORPUS is not set (e.g. MEDIA_CORPUS=../shared/media)");
}

/** Every image file and what it must convert to (format, upright size; `refused`: Instagram's verdict). */
const IMAGES: Record<
  string,
  { format: string; width: number; height: number; camera?: string; refused?: string }
> = {
  "formats/avif_canon-eos-70d_exif.avif": { format: "avif", width: 5472, height: 3648 },
  "formats/cmyk_no-icc.jpg": { format: "jpeg", width: 500, height: 333 },
  "formats/gif_animated_rotating-squares.gif": { format: "gif", width: 80, height: 80, refused: "too_small" },
  "formats/heic_iphone-11-pro.heic": {
    format: "heic",
    width: 3024,
    height: 4032,
    camera: "Apple iPhone 11 Pro",
  },
  "formats/png16_rgb_flag-netherlands.png": { format: "png", width: 900, height: 600 },
  "formats/png16_rgb_trns_pngsuite-tbgn2c16.png": {
    format: "png",
    width: 32,
    height: 32,
    refused: "too_small",
  },
  "formats/png_rgba_blackbug.png": { format: "png", width: 2048, height: 1536 },
  "formats/progressive_huawei-ele-l29_gps.jpg": {
    format: "jpeg",
    width: 500,
    height: 375,
    camera: "HUAWEI ELE-L29",
  },
  "formats/tiff_8bit-rgb_iphone5c-photoshop.tif": { format: "tiff", width: 320, height: 240 },
  "formats/webp_animated_rotating-squares.webp": {
    format: "webp",
    width: 80,
    height: 80,
    refused: "too_small",
  },
  "formats/webp_lossless_alpha.webp": { format: "webp", width: 386, height: 395 },
  "formats/webp_lossy_google-gallery-4.webp": { format: "webp", width: 1024, height: 772 },
  "gps/nikon-coolpix-p6000_gps.jpg": {
    format: "jpeg",
    width: 640,
    height: 480,
    camera: "NIKON COOLPIX P6000",
  },
  // Its preview is 1024x683, its sensor image 1224x816: LibRaw develops the sensor data.
  "raw/canon-eos-6d_acr-reduced.dng": { format: "dng", width: 1224, height: 816, camera: "Canon EOS 6D" },
  "broken/wrongext_is-jpeg.png": { format: "jpeg", width: 240, height: 180, refused: "too_small" },
  "broken/wrongext_is-jpeg.nef": { format: "jpeg", width: 2000, height: 3008, camera: "NIKON D70s" },
};

/** Every broken file and the reason it must fail with. */
const BROKEN: Record<string, string> = {
  "broken/truncated_first-10000-bytes.jpg": "truncated",
  "broken/corrupt-header.jpg": "truncated", // EXIF, then the file ends before any frame header
  "broken/truncated_first-10000-bytes.png": "truncated",
  "broken/truncated_image_pillow.png": "truncated",
  "broken/corrupt_idat-filter_pillow.png": "truncated", // bad filter bytes, and no IEND: cut short as well
  "broken/corrupt_chunk_pillow.png": "corrupt_image",
  // 44 bytes: its one frame (65535x1321 at y=65280) has no image data at all.
  "broken/bomb_gif_65535x65535-frame.gif": "truncated",
  "broken/bomb_png_65536x65536.png": "too_many_pixels",
  "broken/huge_jpeg_20000x14000.jpg": "too_many_pixels",
  // Real D70 structure whose previews the ExifTool author replaced with 26-byte placeholders.
  "raw/nikon-d70_exiftool-stripped.nef": "no_preview",
};

const ORIENTATION = [
  ...Array.from({ length: 8 }, (_, i) => [
    `orientation/Landscape_${i + 1}.jpg`,
    "orientation/Landscape_1.jpg",
  ]),
  ...Array.from({ length: 4 }, (_, i) => [`orientation/Portrait_${i + 1}.jpg`, "orientation/Portrait_1.jpg"]),
] as [string, string][];

const VIDEOS = ["video/android_h264-aac_1080p_gps.mp4", "video/ipad-mini_hevc-aac_gps.mov"];

const read = (file: string): Buffer => {
  const path = join(corpus ?? "", file);
  if (!existsSync(path)) throw new Error(`MEDIA_CORPUS is set but ${path} is missing`);
  return readFileSync(path);
};

describe.skipIf(!corpus)("imaging: the real-world media corpus (MEDIA_CORPUS)", () => {
  it("has every file this suite expects", () => {
    const all = [...Object.keys(IMAGES), ...Object.keys(BROKEN), ...ORIENTATION.map(([f]) => f), ...VIDEOS];
    const missing = all.filter((file) => !existsSync(join(corpus ?? "", file)));
    expect(missing, `missing from ${corpus}`).toEqual([]);
  });

  for (const [file, { refused, ...expected }] of Object.entries(IMAGES)) {
    it(`converts ${file}${refused ? ` (Instagram: ${refused})` : ""}`, async () => {
      const converted = await convertPhoto(read(file), options);
      const result = refused ? await expectCleanImage(converted) : await expectCleanRenditions(converted);
      expect(result.metadata).toMatchObject(expected);
      expect(result.instagram).toMatchObject(
        refused ? { status: "refused", code: refused } : { status: "ready" },
      );
    });
  }

  it("reads the phone's device model and the cameras' capture times", async () => {
    const heic = await convertPhoto(read("formats/heic_iphone-11-pro.heic"), options);
    expect(heic).toMatchObject({ metadata: { device: { make: "Apple", model: "iPhone 11 Pro" } } });
    const huawei = await convertPhoto(read("formats/progressive_huawei-ele-l29_gps.jpg"), options);
    expect(huawei).toMatchObject({
      metadata: { device: { model: "ELE-L29" }, capture: { hasSubSeconds: true } },
    });
  });

  it("strips the GPS that the camera files carry", async () => {
    for (const file of [
      "gps/nikon-coolpix-p6000_gps.jpg",
      "formats/progressive_huawei-ele-l29_gps.jpg",
      "broken/wrongext_is-jpeg.png",
    ]) {
      const result = await expectCleanImage(await convertPhoto(read(file), options));
      for (const rendition of Object.values(result.renditions)) {
        expect((await readBack(rendition)).tags.latitude, file).toBeUndefined();
      }
    }
  });

  it("develops the 6D DNG's sensor data into the picture its (smaller) preview shows", async () => {
    const dng = read("raw/canon-eos-6d_acr-reduced.dng");
    const result = await convertPhoto(dng, options);
    if (result.kind !== "image") throw new Error("expected an image");
    expect(result.renditions.web).toMatchObject({ width: 1224, height: 816 });
    const preview = extractRawPreview(dng);
    expect(preview).toMatchObject({ width: 1024, height: 683 });
    // Adobe rendered the preview with its own tone curve, LibRaw with dcraw's: close, not equal.
    expect(await pictureDistance(result.renditions.web.data, preview.jpeg)).toBeLessThan(25);
  });

  it("turns every orientation sample upright (compared with the _1 reference)", async () => {
    for (const [file, reference] of ORIENTATION) {
      const result = await convertPhoto(read(file), options);
      if (result.kind !== "image") throw new Error("expected an image");
      const upright = read(reference);
      expect(await pictureDistance(result.renditions.web.data, upright), file).toBeLessThan(10);
    }
  });

  for (const [file, code] of Object.entries(BROKEN)) {
    it(`fails ${file} as ${code}, fast`, async () => {
      const started = performance.now();
      const error = await convertPhoto(read(file), options).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ImagingError);
      expect(error).toMatchObject({ code, retryable: false });
      expect(performance.now() - started).toBeLessThan(2000);
    });
  }

  it("probes the phone videos and names the Reels rules they break", async () => {
    const [android, ipad] = await Promise.all(VIDEOS.map((file) => convertPhoto(read(file), options)));
    expect(android).toMatchObject({
      kind: "video",
      probe: {
        container: "mp4",
        videoCodec: "h264",
        width: 1920,
        height: 1080,
        audio: { codec: "aac", sampleRate: 48000 },
      },
      reels: { eligible: false },
    });
    expect(ipad).toMatchObject({
      kind: "video",
      probe: { container: "mov", videoCodec: "hevc", width: 720, height: 1280, rotation: 90 },
      reels: { eligible: false },
    });
    for (const video of [android, ipad]) {
      if (video?.kind !== "video") throw new Error("expected a video");
      expect(video.reels.violations.map((v) => v.split(":")[0])).toEqual(["duration", "faststart"]);
    }
  });
});

if (!corpus) {
  describe("imaging: the real-world media corpus", () => {
    it.skip("is skipped: set MEDIA_CORPUS (e.g. MEDIA_CORPUS=/work/shared/media) to run it", () => {});
  });
}
