import { ValidationError } from "@photo-relay/core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS, ImagingError } from "../src/index.ts";
import { gifFrameBomb, jpegDeclaring, repackIdat, seeded, zeroPng } from "./fixtures/broken.ts";
import { HEIC_QUADRANTS } from "./fixtures/heic-quadrants.ts";
import { quadrants } from "./fixtures/images.ts";
import { mp4 } from "./fixtures/mp4-writer.ts";
import { rawFile } from "./fixtures/raw-files.ts";

const options = DEFAULT_RENDITION_OPTIONS;
const FAST_MS = 2000;
const MAX_RSS = 500 * 1024 * 1024;

/** Converts `input` expecting the named failure, fast, fatal, and without the process ballooning. */
async function expectFailure(input: Buffer, code: string, opts = options): Promise<ImagingError> {
  const started = performance.now();
  const error = await convertPhoto(input, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = performance.now() - started;
  expect(error, `expected ${code}`).toBeInstanceOf(ImagingError);
  expect(error).toBeInstanceOf(ValidationError);
  expect(error).toMatchObject({ code, retryable: false });
  expect(elapsed).toBeLessThan(FAST_MS);
  expect(process.memoryUsage().rss).toBeLessThan(MAX_RSS);
  return error as ImagingError;
}

const photo = () => quadrants(800, 600);

describe("imaging: bad input fails fast with a named reason", () => {
  it("refuses bytes that are no known format, and known formats we do not take", async () => {
    await expectFailure(Buffer.alloc(0), "unsupported_format");
    await expectFailure(Buffer.from("just some text, not a photo"), "unsupported_format");
    await expectFailure(await seededBytes(4096), "unsupported_format");
    const bmp = await expectFailure(
      Buffer.from("BM\x36\x00\x0c\x00\x00\x00\x00\x00", "latin1"),
      "unsupported_format",
    );
    expect(bmp.message).toContain("bmp");
  });

  it("names truncated JPEGs and PNGs, wherever they were cut", async () => {
    const jpeg = await photo().jpeg().toBuffer();
    const png = await photo().png().toBuffer();
    for (const cut of [0.1, 0.5, 0.95]) {
      await expectFailure(jpeg.subarray(0, Math.floor(jpeg.length * cut)), "truncated");
      await expectFailure(png.subarray(0, Math.floor(png.length * cut)), "truncated");
    }
    await expectFailure(jpeg.subarray(0, 200), "truncated"); // inside the headers
  });

  it("names corrupt pixel data in an otherwise sound file", async () => {
    const png = await photo().png().toBuffer();
    const scrambled = repackIdat(png, (idat) => {
      for (let i = 10; i < idat.length - 10; i += 7) idat[i] = 0xff;
      return idat;
    });
    await expectFailure(scrambled, "corrupt_image");
  });

  it("refuses decompression bombs from their declared size, before decoding", async () => {
    await expectFailure(zeroPng(100_000, 100_000, 4), "too_many_pixels"); // 10 Gpixel header, 4 rows of data
    const zlibBomb = zeroPng(5000, 5000); // 25 Mpixel of zeros in a few KiB
    expect(zlibBomb.length).toBeLessThan(100_000);
    await expectFailure(zlibBomb, "too_many_pixels", { ...options, maxInputPixels: 20_000_000 });
    await expectFailure(gifFrameBomb(65535, 65535), "too_many_pixels");
    await expectFailure(jpegDeclaring(await photo().jpeg().toBuffer(), 60000, 60000), "too_many_pixels");
    await expectFailure(HEIC_QUADRANTS, "too_many_pixels", { ...options, maxInputPixels: 1000 });
    const nef = rawFile("nef", {
      preview: await photo().jpeg().toBuffer(),
      thumbnail: await quadrants(32, 24).jpeg().toBuffer(),
    });
    await expectFailure(nef, "too_many_pixels", { ...options, maxInputPixels: 100_000 });
  });

  it("names damaged RAW, HEIC and video files", async () => {
    const preview = await photo().jpeg().toBuffer();
    const nef = rawFile("nef", { preview, thumbnail: await quadrants(32, 24).jpeg().toBuffer() });
    await expectFailure(nef.subarray(0, nef.length - 300), "truncated");
    await expectFailure(
      rawFile("arw", { preview: Buffer.alloc(500, 1), thumbnail: Buffer.alloc(40, 2) }),
      "no_preview",
    );
    await expectFailure(HEIC_QUADRANTS.subarray(0, 400), "corrupt_image");
    const video = mp4({ faststart: false });
    await expectFailure(video.subarray(0, video.length - 100), "truncated");
  });

  it("only ever throws named ImagingErrors for randomly damaged files", async () => {
    const random = seeded(42);
    const jpeg = await quadrants(64, 48)
      .withExif({ IFD0: { Make: "Test" } })
      .jpeg()
      .toBuffer();
    const originals = [
      jpeg,
      await quadrants(64, 48).png().toBuffer(),
      await quadrants(64, 48).webp().toBuffer(),
      await quadrants(64, 48).tiff().toBuffer(),
      rawFile("nef", { preview: jpeg, thumbnail: jpeg }),
      rawFile("orf", { preview: jpeg, thumbnail: jpeg }),
      mp4(),
    ];
    for (const original of originals) {
      for (let i = 0; i < 25; i++) {
        const damaged = Buffer.from(original);
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++)
          damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
        const input = random() < 0.3 ? damaged.subarray(0, Math.floor(random() * damaged.length)) : damaged;
        const error = await convertPhoto(input, options).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error !== undefined) expect(error, String(error)).toBeInstanceOf(ImagingError);
      }
    }
  });
});

async function seededBytes(length: number): Promise<Buffer> {
  const random = seeded(7);
  const bytes = Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));
  bytes[0] = 0x42; // never accidentally a known magic number
  bytes[1] = 0x00;
  expect(
    (
      await sharp(bytes)
        .metadata()
        .catch(() => undefined)
    )?.format,
  ).toBeUndefined();
  return bytes;
}
