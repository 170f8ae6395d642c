import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../src/index.ts";
import { HEIC_QUADRANTS } from "./fixtures/heic-quadrants.ts";
import { quadrants } from "./fixtures/images.ts";
import { mp4 } from "./fixtures/mp4-writer.ts";
import { rawFile } from "./fixtures/raw-files.ts";

describe("imaging: format detection from magic bytes", () => {
  it("names every image format sharp writes", async () => {
    const img = quadrants(32, 24);
    const cases: [string, Buffer][] = [
      ["jpeg", await img.clone().jpeg().toBuffer()],
      ["png", await img.clone().png().toBuffer()],
      ["webp", await img.clone().webp().toBuffer()],
      ["gif", await img.clone().gif().toBuffer()],
      ["tiff", await img.clone().tiff().toBuffer()],
      ["avif", await img.clone().avif({ effort: 0 }).toBuffer()],
    ];
    for (const [format, bytes] of cases) expect(detectFormat(bytes)?.format, format).toBe(format);
  });

  it("tells HEIC, videos and each RAW layout apart", async () => {
    expect(detectFormat(HEIC_QUADRANTS)).toEqual({ format: "heic", kind: "image", mimeType: "image/heic" });
    expect(detectFormat(mp4())?.format).toBe("mp4");
    expect(detectFormat(mp4({ brand: "qt  " }))?.format).toBe("mov");
    const jpeg = await quadrants(32, 24).jpeg().toBuffer();
    for (const layout of ["nef", "cr2", "arw", "dng", "orf"] as const) {
      expect(detectFormat(rawFile(layout, { preview: jpeg, thumbnail: jpeg })), layout).toMatchObject({
        format: layout,
        kind: "raw",
      });
    }
  });

  it("reads only the bytes it is given: the head of a file is enough", async () => {
    const jpeg = await quadrants(320, 240).jpeg().toBuffer();
    expect(detectFormat(jpeg.subarray(0, 16))?.format).toBe("jpeg");
  });

  it("marks known formats we do not convert as unsupported, and unknown bytes as undefined", () => {
    expect(detectFormat(Buffer.from("BM\x36\x00\x00\x00", "latin1"))?.kind).toBe("unsupported");
    expect(detectFormat(Buffer.from("%PDF-1.7\n", "latin1"))).toMatchObject({
      format: "pdf",
      kind: "unsupported",
    });
    const cr3 = Buffer.from("\0\0\0\x18ftypcrx \0\0\0\x01crx isom", "latin1");
    expect(detectFormat(cr3)).toMatchObject({ format: "cr3", kind: "unsupported" });
    expect(detectFormat(Buffer.from("hello world"))).toBeUndefined();
    expect(detectFormat(new Uint8Array())).toBeUndefined();
  });

  it("sees through a generic HEIF brand to AVIF", async () => {
    const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } })
      .avif({ effort: 0 })
      .toBuffer();
    const mif1 = Buffer.from(avif);
    mif1.write("mif1", 8, "latin1"); // major brand; the compatible brands still say avif
    expect(detectFormat(mif1)?.format).toBe("avif");
  });
});
