/**
 * The capture time, to the millisecond when the camera says so: EXIF DateTimeOriginal with its
 * SubSecTimeOriginal and OffsetTimeOriginal (each date tag has its own sub-second and offset tag),
 * else XMP's DateCreated (ISO 8601, fraction and zone included when written).
 */
import type { CaptureTime } from "./types.ts";

/** The EXIF date tags in order of preference, each with the tags that complete it. */
const DATE_TAGS = [
  ["DateTimeOriginal", "SubSecTimeOriginal", "OffsetTimeOriginal"],
  ["CreateDate", "SubSecTimeDigitized", "OffsetTimeDigitized"],
  ["DateTime", "SubSecTime", "OffsetTime"],
] as const;

const EXIF_DATE = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?/;
const OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** `text` reads a tag as clean text (see read-metadata.ts). */
export function readCaptureTime(
  tags: Record<string, unknown>,
  text: (value: unknown) => string | undefined,
): CaptureTime | undefined {
  for (const [dateTag, subSecTag, offsetTag] of DATE_TAGS) {
    const match = EXIF_DATE.exec(text(tags[dateTag]) ?? "");
    if (!match) continue;
    const [, y, mo, d, h, mi, s] = match;
    if (y === "0000") return undefined; // cameras with an unset clock write zeros
    const subSeconds = /^\d+$/.test(text(tags[subSecTag]) ?? "") ? text(tags[subSecTag]) : undefined;
    const offset = text(tags[offsetTag]) ?? text(tags.OffsetTime);
    return build(
      [y, mo, d, h, mi, s].map(Number),
      subSeconds,
      offset && OFFSET.test(offset) ? offset : undefined,
    );
  }
  const xmp = ISO_DATE.exec(text(tags.DateCreated) ?? "");
  if (!xmp) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = xmp;
  return build([y, mo, d, h, mi, s].map(Number), fraction, zone === "Z" ? "+00:00" : zone);
}

/** `subSeconds` are the digits after the decimal point ("37" is 0.37 s). */
function build(parts: number[], subSeconds: string | undefined, offset: string | undefined): CaptureTime {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = parts;
  const ms = subSeconds ? Math.min(999, Math.round(Number(`0.${subSeconds}`) * 1000)) : 0;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const offsetMatch = offset ? OFFSET.exec(offset) : null;
  const offsetMinutes = offsetMatch
    ? (offsetMatch[1] === "-" ? -1 : 1) * (Number(offsetMatch[2]) * 60 + Number(offsetMatch[3]))
    : 0;
  const iso =
    `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}` +
    `${subSeconds ? `.${pad(ms, 3)}` : ""}${offsetMatch ? offset : ""}`;
  return {
    iso,
    epochMs: Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000,
    hasOffset: offsetMatch !== null,
    hasSubSeconds: subSeconds !== undefined,
  };
}
