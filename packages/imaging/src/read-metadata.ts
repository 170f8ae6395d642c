/**
 * Descriptive metadata (capture time, camera, lens, caption, credit) read with exifr from EXIF, IPTC
 * and XMP. Metadata is a courtesy: a file whose metadata cannot be read still converts, so every
 * failure here yields an empty result rather than an error.
 */
import exifr from "exifr";
import { readCaptureTime } from "./capture-time.ts";
import type { PhotoMetadata } from "./types.ts";

type Descriptive = Pick<
  PhotoMetadata,
  "captureTime" | "capture" | "camera" | "device" | "lens" | "caption" | "artist" | "copyright"
>;

const OPTIONS = {
  tiff: true,
  exif: true,
  gps: false,
  ifd1: false,
  interop: false,
  makerNote: false,
  userComment: false,
  xmp: true,
  iptc: true,
  icc: false,
  jfif: false,
  ihdr: false,
  // Keep EXIF dates as written: reviving them would read a zone-less time in the process's zone.
  reviveValues: false,
  mergeOutput: true,
};

export async function readMetadata(input: Buffer): Promise<Descriptive> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(input, OPTIONS)) as Record<string, unknown> | undefined;
  } catch {
    return {};
  }
  if (!tags) return {};
  const result: Descriptive = {};
  const set = (key: Exclude<keyof Descriptive, "capture" | "device">, value: string | undefined): void => {
    if (value) result[key] = value;
  };
  const capture = readCaptureTime(tags, text);
  if (capture) {
    result.capture = capture;
    // To the second, as before sub-seconds were read: "2024-06-01T12:34:56+02:00".
    set("captureTime", capture.iso.replace(/\.\d{3}/, ""));
  }
  const make = text(tags.Make);
  const model = text(tags.Model);
  set("camera", camera(make, model));
  // EXIF BodySerialNumber (exifr calls it SerialNumber, as XMP's aux:SerialNumber), DNG CameraSerialNumber.
  const serial = text(tags.SerialNumber) ?? text(tags.CameraSerialNumber);
  if (make || model || serial) {
    result.device = { ...(make && { make }), ...(model && { model }), ...(serial && { serial }) };
  }
  set("lens", text(tags.LensModel) ?? text(tags.Lens) ?? text(tags.LensInfo));
  set("caption", text(tags.Caption) ?? text(tags.description) ?? text(tags.ImageDescription));
  set("artist", text(tags.Artist) ?? text(tags.Byline) ?? text(tags.creator));
  set("copyright", text(tags.Copyright) ?? text(tags.CopyrightNotice) ?? text(tags.rights));
  return result;
}

/** A tag value as clean text: XMP gives language alternatives and lists, IPTC may give arrays. */
function text(value: unknown): string | undefined {
  if (typeof value === "string") {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: EXIF strings are NUL-padded
    const clean = value.replace(/\u0000+$/, "").trim();
    return clean === "" ? undefined : clean;
  }
  if (Array.isArray(value))
    return value.length > 0 && typeof value[0] !== "number" ? text(value[0]) : undefined;
  if (value && typeof value === "object" && "value" in value)
    return text((value as { value: unknown }).value);
  return undefined;
}

/** "NIKON CORPORATION" + "NIKON D800" reads better as "NIKON D800"; "Canon" + "Canon EOS 6D" likewise. */
function camera(make: string | undefined, model: string | undefined): string | undefined {
  if (!model) return make;
  if (!make) return model;
  const brand = make.split(/\s+/)[0] ?? make;
  return model.toLowerCase().startsWith(brand.toLowerCase()) ? model : `${make} ${model}`;
}
