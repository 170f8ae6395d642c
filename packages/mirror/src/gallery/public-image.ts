/**
 * The last check before a rendition goes public: it must be one complete JPEG or WebP image whose
 * metadata holds no location and nothing that identifies the camera or its owner. Convert already
 * strips these; the gallery reads the bytes it is about to place anyway, because a guest gallery is
 * the one place where a leak cannot be taken back. Only metadata that can be read here passes:
 * EXIF and XMP (inspected), ICC profiles and the formats' own headers. Any other metadata block
 * (IPTC/Photoshop, multi-picture, vendor segments, comments) is refused, as is data after the image.
 */
import { GalleryError } from "../errors.ts";
import type { Findings } from "./findings.ts";
import { checkJpeg } from "./jpeg.ts";
import { checkWebp } from "./webp.ts";

export interface PublicImage {
  type: "image/jpeg" | "image/webp";
  width: number;
  height: number;
}

/** EXIF tags that locate the photo or identify the camera body, lens or owner. */
const PRIVATE_EXIF_TAGS = new Map<number, string>([
  [0x927c, "MakerNote"], // vendor data: serial numbers, sometimes a position
  [0xa430, "CameraOwnerName"],
  [0xa431, "BodySerialNumber"],
  [0xa435, "LensSerialNumber"],
  [0xc62f, "CameraSerialNumber"], // DNG, in IFD0
]);
const GPS_IFD = 0x8825;
const EXIF_IFD = 0x8769;
const XMP_PRIVATE = /gps(latitude|longitude|altitude|coordinates|dest\w*)|serialnumber|ownername/i;

/**
 * The image's type and size, or a {@link GalleryError}: `invalid_rendition` for bytes that are not
 * one complete JPEG or WebP image, `private_metadata` naming the first private field found.
 * @example assertPublicImage(await readFile("web.jpg"), "photo ab12 web") // → { type: "image/jpeg", width: 2048, height: 1365 }
 */
export function assertPublicImage(bytes: Buffer, what: string): PublicImage {
  const findings: Findings = {
    invalid: (why) => new GalleryError("invalid_rendition", `${what}: ${why}`),
    refuse: (field) =>
      new GalleryError("private_metadata", `${what} carries ${field}; the gallery refuses it`),
    exif: (tiff) => checkExif(tiff, findings),
    xmp: (text) => {
      const found = text.match(XMP_PRIVATE);
      if (found) throw findings.refuse(`XMP ${found[0]}`);
    },
  };
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { type: "image/jpeg", ...checkJpeg(bytes, findings) };
  if (
    bytes.subarray(0, 4).toString("latin1") === "RIFF" &&
    bytes.subarray(8, 12).toString("latin1") === "WEBP"
  ) {
    return { type: "image/webp", ...checkWebp(bytes, findings) };
  }
  throw findings.invalid("neither a JPEG nor a WebP image");
}

/** Walks IFD0 and the EXIF IFD of a TIFF structure for GPS data and the private tags above. */
function checkExif(tiff: Buffer, findings: Findings): void {
  const unreadable = () => findings.invalid("unreadable EXIF data");
  const order = tiff.subarray(0, 2).toString("latin1");
  if ((order !== "II" && order !== "MM") || tiff.length < 8) throw unreadable();
  const little = order === "II";
  const u16 = (at: number) => (little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  const entries = (offset: number): Map<number, number> => {
    if (offset + 2 > tiff.length) throw unreadable();
    const count = u16(offset);
    if (offset + 2 + count * 12 > tiff.length) throw unreadable();
    const tags = new Map<number, number>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      tags.set(u16(at), u32(at + 8)); // tag → value or offset (what the IFD pointers need)
    }
    return tags;
  };
  const ifd0 = entries(u32(4));
  const gps = ifd0.get(GPS_IFD);
  // An empty GPS IFD, or one holding only GPSVersionID, locates nothing.
  if (gps !== undefined && [...entries(gps).keys()].some((tag) => tag !== 0)) {
    throw findings.refuse("EXIF GPS data");
  }
  const exif = ifd0.get(EXIF_IFD);
  for (const tag of [...ifd0.keys(), ...(exif === undefined ? [] : entries(exif).keys())]) {
    const name = PRIVATE_EXIF_TAGS.get(tag);
    if (name) throw findings.refuse(`EXIF ${name}`);
  }
}
