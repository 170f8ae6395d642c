import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS, extractRawPreview } from "../src/index.ts";
import { orientedPreview, pictureDistance, quadrants } from "./fixtures/images.ts";
import { expectCleanRenditions } from "./fixtures/inspect.ts";
import { type RawLayout, rawFile } from "./fixtures/raw-files.ts";
import { tiffHeader, writeTiff } from "./fixtures/tiff-writer.ts";

const LAYOUTS: RawLayout[] = ["nef", "cr2", "arw", "dng", "orf"];

describe("imaging: camera RAW through the largest embedded JPEG preview", () => {
  it("finds the full-size preview in every layout, past thumbnails and lossless sensor data", async () => {
    const preview = await quadrants(1200, 800).jpeg().toBuffer();
    const thumbnail = await quadrants(160, 120).jpeg().toBuffer();
    for (const layout of LAYOUTS) {
      for (const littleEndian of layout === "cr2" || layout === "orf" ? [true] : [true, false]) {
        const found = extractRawPreview(rawFile(layout, { preview, thumbnail, littleEndian }));
        expect(found, `${layout} ${littleEndian ? "II" : "MM"}`).toMatchObject({ width: 1200, height: 800 });
        expect(found.jpeg.equals(preview), layout).toBe(true);
      }
    }
  });

  it("converts each RAW layout to clean renditions with the RAW's metadata", async () => {
    const preview = await quadrants(1200, 800).jpeg().toBuffer();
    const thumbnail = await quadrants(160, 120).jpeg().toBuffer();
    for (const layout of LAYOUTS) {
      const result = await expectCleanRenditions(
        await convertPhoto(rawFile(layout, { preview, thumbnail }), DEFAULT_RENDITION_OPTIONS),
      );
      expect(result.metadata, layout).toMatchObject({ format: layout, width: 1200, height: 800 });
      if (layout !== "orf") expect(result.metadata.captureTime, layout).toBe("2024-01-02T03:04:05");
      expect(result.renditions.web).toMatchObject({ width: 1200, height: 800 });
    }
  });

  it("honours the RAW's orientation, not the preview's (which is stored as the sensor saw it)", async () => {
    const upright = await quadrants(300, 200).png().toBuffer();
    const thumbnail = await quadrants(32, 24).jpeg().toBuffer();
    for (const layout of LAYOUTS) {
      for (let n = 1; n <= 8; n++) {
        const preview = await orientedPreview(n, 300, 200);
        const result = await convertPhoto(
          rawFile(layout, { preview, thumbnail, orientation: n }),
          DEFAULT_RENDITION_OPTIONS,
        );
        if (result.kind !== "image") throw new Error("expected an image");
        expect(result.metadata, `${layout} ${n}`).toMatchObject({ width: 300, height: 200, orientation: n });
        expect(
          await pictureDistance(result.renditions.web.data, upright),
          `${layout} orientation ${n}`,
        ).toBeLessThan(8);
      }
    }
  });

  it("survives IFD chains and SubIFDs that point back at themselves", async () => {
    const preview = await quadrants(200, 100).jpeg().toBuffer();
    const looped = writeTiff(
      tiffHeader(),
      [
        {
          entries: {
            271: { ascii: "NIKON CORPORATION" },
            254: { long: [1] },
            330: { ifd: [0, 1] },
            513: { blobOffset: 0 },
            514: { blobLength: 0 },
          },
          next: 0,
        },
        { entries: { 330: { ifd: [1] } }, next: 1 },
      ],
      [preview],
    );
    expect(extractRawPreview(looped)).toMatchObject({ width: 200, height: 100 });
  });

  it("converts a D800-size (36 Mpixel) JpgFromRaw preview", async () => {
    const preview = await quadrants(7360, 4912).jpeg({ quality: 80 }).toBuffer();
    const nef = rawFile("nef", { preview, thumbnail: await quadrants(160, 120).jpeg().toBuffer() });
    const started = performance.now();
    const result = await expectCleanRenditions(await convertPhoto(nef, DEFAULT_RENDITION_OPTIONS));
    expect(performance.now() - started).toBeLessThan(5000); // generous for CI; the benchmark measures it
    expect(result.metadata).toMatchObject({ format: "nef", width: 7360, height: 4912, camera: "NIKON D800" });
    expect(result.renditions.instagram).toMatchObject({ width: 1080, height: 721 });
  });
});
