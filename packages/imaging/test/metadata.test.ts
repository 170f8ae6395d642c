import exifr from "exifr";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "../src/index.ts";
import { quadrants } from "./fixtures/images.ts";
import { expectCleanImage, expectCleanRenditions, readBack } from "./fixtures/inspect.ts";

const XMP = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Sunrise over the harbour</rdf:li></rdf:Alt></dc:description>
</rdf:Description></rdf:RDF></x:xmpmeta>`;

async function cameraJpeg(): Promise<Buffer> {
  return quadrants(320, 240)
    .withExif({
      IFD0: {
        Make: "NIKON CORPORATION",
        Model: "NIKON D800",
        Artist: "Ada Lovelace",
        Copyright: "(c) 2024 Ada",
      },
      IFD2: {
        DateTimeOriginal: "2024:06:01 12:34:56",
        OffsetTimeOriginal: "+02:00",
        LensModel: "24-70mm f/2.8",
      },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "51/1 30/1 0/1",
        GPSLongitudeRef: "W",
        GPSLongitude: "0/1 7/1 0/1",
      },
    })
    .withXmp(XMP)
    .jpeg()
    .toBuffer();
}

describe("imaging: metadata", () => {
  it("reads capture time, camera, lens, caption and credit", async () => {
    const input = await cameraJpeg();
    expect((await exifr.gps(input))?.latitude).toBeCloseTo(51.5, 1); // the fixture really carries GPS
    const result = await convertPhoto(input, DEFAULT_RENDITION_OPTIONS);
    if (result.kind !== "image") throw new Error("expected an image");
    expect(result.metadata).toMatchObject({
      format: "jpeg",
      width: 320,
      height: 240,
      captureTime: "2024-06-01T12:34:56+02:00",
      camera: "NIKON D800",
      lens: "24-70mm f/2.8",
      caption: "Sunrise over the harbour",
      artist: "Ada Lovelace",
      copyright: "(c) 2024 Ada",
    });
  });

  it("reads the capture time to the millisecond, with its offset, and the body's serial", async () => {
    const frame = (subSeconds: string, extra: Record<string, string> = {}) =>
      quadrants(320, 240)
        .withExif({
          IFD0: { Make: "NIKON CORPORATION", Model: "NIKON D800" },
          IFD2: {
            DateTimeOriginal: "2024:06:01 12:34:56",
            SubSecTimeOriginal: subSeconds,
            BodySerialNumber: "3004567",
            ...extra,
          },
        })
        .jpeg()
        .toBuffer();
    const convert = async (input: Buffer) => {
      const result = await convertPhoto(input, DEFAULT_RENDITION_OPTIONS);
      if (result.kind !== "image") throw new Error("expected an image");
      return result.metadata;
    };
    const first = await convert(await frame("37", { OffsetTimeOriginal: "+02:00" }));
    expect(first).toMatchObject({
      captureTime: "2024-06-01T12:34:56+02:00",
      capture: { iso: "2024-06-01T12:34:56.370+02:00", hasOffset: true, hasSubSeconds: true },
      device: { make: "NIKON CORPORATION", model: "NIKON D800", serial: "3004567" },
    });
    expect(first.capture?.epochMs).toBe(Date.parse("2024-06-01T10:34:56.370Z"));
    // Two frames of a 4 fps burst within one second, and no offset: the gap is still exact.
    const a = await convert(await frame("12"));
    const b = await convert(await frame("370"));
    expect(a.capture).toMatchObject({ iso: "2024-06-01T12:34:56.120", hasOffset: false });
    expect((b.capture?.epochMs ?? 0) - (a.capture?.epochMs ?? 0)).toBe(250);
    const whole = await convert(
      await quadrants(320, 240)
        .withExif({ IFD2: { DateTimeOriginal: "2024:06:01 12:34:56" } })
        .jpeg()
        .toBuffer(),
    );
    expect(whole.capture).toMatchObject({ iso: "2024-06-01T12:34:56", hasSubSeconds: false });
  });

  it("names a phone by its device model", async () => {
    const phone = await quadrants(320, 240)
      .withExif({
        IFD0: { Make: "Apple", Model: "iPhone 15 Pro" },
        IFD2: { DateTimeOriginal: "2024:06:01 12:34:56" },
      })
      .jpeg()
      .toBuffer();
    const result = await convertPhoto(phone, DEFAULT_RENDITION_OPTIONS);
    expect(result).toMatchObject({ metadata: { device: { make: "Apple", model: "iPhone 15 Pro" } } });
  });

  it("strips GPS and every other tag from the renditions", async () => {
    await expectCleanRenditions(await convertPhoto(await cameraJpeg(), DEFAULT_RENDITION_OPTIONS));
  });

  it("keeps artist and copyright only when asked, and still no GPS", async () => {
    const options = { ...DEFAULT_RENDITION_OPTIONS, keep: { artist: true, copyright: true } };
    const result = await expectCleanRenditions(await convertPhoto(await cameraJpeg(), options));
    for (const name of ["instagram", "web"] as const) {
      const { tags } = await readBack(result.renditions[name]);
      expect(tags).toMatchObject({ Artist: "Ada Lovelace", Copyright: "(c) 2024 Ada" });
      expect(tags.latitude).toBeUndefined();
    }
    const only = await convertPhoto(await cameraJpeg(), {
      ...DEFAULT_RENDITION_OPTIONS,
      keep: { artist: true },
    });
    if (only.kind !== "image") throw new Error("expected an image");
    expect((await readBack(only.renditions.web)).tags.Copyright).toBeUndefined();
  });

  it("reads the IPTC caption and by-line that photo desks write", async () => {
    const jpeg = await quadrants(64, 48).jpeg().toBuffer();
    const withIptc = Buffer.concat([
      jpeg.subarray(0, 2),
      iptcSegment({ 120: "Finish line, stage 4", 80: "Jo Press" }),
      jpeg.subarray(2),
    ]);
    const result = await expectCleanImage(await convertPhoto(withIptc, DEFAULT_RENDITION_OPTIONS));
    expect(result).toMatchObject({ metadata: { caption: "Finish line, stage 4", artist: "Jo Press" } });
  });

  it("converts a photo whose metadata is unreadable", async () => {
    const jpeg = await quadrants(64, 48).jpeg().toBuffer();
    // An APP1 "Exif" segment full of garbage, spliced in after SOI.
    const junk = Buffer.concat([
      Buffer.from([0xff, 0xe1, 0x00, 0x20]),
      Buffer.from("Exif\0\0MM\0*\xff\xff\xff\xff", "latin1"),
      Buffer.alloc(16, 0xee),
    ]);
    const broken = Buffer.concat([jpeg.subarray(0, 2), junk, jpeg.subarray(2)]);
    expect((await sharp(broken).metadata()).width).toBe(64);
    const result = await convertPhoto(broken, DEFAULT_RENDITION_OPTIONS);
    expect(result).toMatchObject({ kind: "image", metadata: { format: "jpeg", width: 64, height: 48 } });
  });
});

/** A JPEG APP13 segment: Photoshop's image resource 0x0404 holding IPTC-IIM datasets of record 2. */
function iptcSegment(datasets: Record<number, string>): Buffer {
  const iim = Buffer.concat(
    Object.entries(datasets).map(([tag, text]) => {
      const value = Buffer.from(text, "latin1");
      const head = Buffer.from([0x1c, 2, Number(tag), 0, 0]);
      head.writeUInt16BE(value.length, 3);
      return Buffer.concat([head, value]);
    }),
  );
  const size = Buffer.alloc(4);
  size.writeUInt32BE(iim.length);
  const resource = Buffer.concat([
    Buffer.from("8BIM\x04\x04\0\0", "latin1"),
    size,
    iim,
    Buffer.alloc(iim.length % 2),
  ]);
  const body = Buffer.concat([Buffer.from("Photoshop 3.0\0", "latin1"), resource]);
  const header = Buffer.from([0xff, 0xed, 0, 0]);
  header.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([header, body]);
}
