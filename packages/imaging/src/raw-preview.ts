/**
 * Camera RAW → its largest embedded JPEG preview. Every RAW we take (NEF, CR2, ARW, DNG, ORF) is
 * TIFF/EP: previews hang off IFD0's chain, its SubIFDs (NEF JpgFromRaw, DNG previews), or the maker
 * note (Olympus CameraSettings, Nikon PreviewIFD). Demosaicing the sensor data would take seconds and
 * a RAW library; a D800 NEF already carries a full-size JPEG, so we take the biggest decodable one.
 */
import { ImagingError } from "./errors.ts";
import { readJpegInfo } from "./jpeg-info.ts";
import { type Ifd, readIfd, readTiffHeader, tagNumbers } from "./tiff-reader.ts";

export interface RawPreview {
  jpeg: Buffer;
  width: number;
  height: number;
  /** The RAW's own EXIF orientation (1…8): previews are stored as the sensor saw them. */
  orientation: number;
}

const TAG = {
  subfileType: 0xfe,
  imageWidth: 0x100,
  imageLength: 0x101,
  bitsPerSample: 0x102,
  photometric: 0x106,
  compression: 0x103,
  stripOffsets: 0x111,
  orientation: 0x112,
  stripByteCounts: 0x117,
  subIfds: 0x14a,
  jpegOffset: 0x201,
  jpegLength: 0x202,
  exifIfd: 0x8769,
  makerNote: 0x927c,
  pixelXDimension: 0xa002,
  pixelYDimension: 0xa003,
  defaultCropSize: 0xc620,
} as const;
/** Photometric interpretations of sensor data: a colour filter array, or DNG's demosaiced LinearRaw. */
const SENSOR_PHOTOMETRIC = new Set([32803, 34892]);
/** IFDs visited at most: real RAWs have under 20; a loop or a fuzzed file must not run forever. */
const MAX_IFDS = 64;

interface Candidate {
  offset: number;
  length: number;
}

/** Every IFD of the file: IFD0's chain, SubIFDs and EXIF IFDs, each visited once. */
function readRawIfds(input: Buffer): { le: boolean; ifds: Ifd[] } {
  const { littleEndian: le, firstIfd } = readTiffHeader(input);
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  const visit = (offset: number, base = 0, followChain = true): void => {
    for (let at = offset; at > 0 && !seen.has(at) && seen.size < MAX_IFDS; ) {
      seen.add(at);
      const ifd = readIfd(input, le, at, base);
      ifds.push(ifd);
      for (const sub of tagNumbers(input, le, ifd.entries.get(TAG.subIfds), 16)) visit(base + sub, base);
      const exif = ifd.entries.get(TAG.exifIfd);
      if (exif) visit(base + exif.value, base, false);
      at = followChain ? ifd.next : 0;
    }
  };
  visit(firstIfd);
  return { le, ifds };
}

export function extractRawPreview(input: Buffer): RawPreview {
  const { le, ifds } = readRawIfds(input);
  const ifd0 = ifds[0];
  const orientation = ifd0?.entries.get(TAG.orientation)?.value ?? 1;

  const candidates: Candidate[] = [];
  for (const ifd of ifds) {
    candidates.push(...ifdCandidates(input, le, ifd));
    const note = ifd.entries.get(TAG.makerNote);
    if (note) candidates.push(...makerNoteCandidates(input, note.valueOffset, note.count));
  }

  let best: RawPreview | undefined;
  let cutShort: { pixels: number } | undefined;
  for (const { offset, length } of candidates) {
    if (length <= 0 || offset <= 0 || offset >= input.length) continue;
    const info = readJpegInfo(input, offset, Math.min(offset + length, input.length));
    if (offset + length > input.length) {
      // A preview running past the end: the file was cut. Its size, if its header survived, says
      // whether it was the one we wanted (an unknown size counts as the biggest).
      const pixels = info && !info.truncated ? info.width * info.height : Number.POSITIVE_INFINITY;
      if (info && (!cutShort || pixels > cutShort.pixels)) cutShort = { pixels };
      continue;
    }
    if (!info?.decodable) continue;
    if (!best || info.width * info.height > best.width * best.height) {
      best = {
        jpeg: input.subarray(offset, offset + length),
        width: info.width,
        height: info.height,
        orientation,
      };
    }
  }
  if (cutShort && (!best || cutShort.pixels > best.width * best.height)) {
    throw new ImagingError("truncated", "the RAW's largest embedded preview runs past the end of the file");
  }
  if (best) return best;
  throw new ImagingError("no_preview", "the RAW file carries no decodable JPEG preview");
}

function ifdCandidates(input: Buffer, le: boolean, ifd: Ifd): Candidate[] {
  const found: Candidate[] = [];
  const jpegOffset = ifd.entries.get(TAG.jpegOffset);
  const jpegLength = ifd.entries.get(TAG.jpegLength);
  if (jpegOffset && jpegLength) found.push({ offset: jpegOffset.value, length: jpegLength.value });
  // CR2's IFD0 and DNG preview SubIFDs hold a JPEG as a single strip (compression 6 or 7).
  const compression = ifd.entries.get(TAG.compression)?.value;
  if (compression === 6 || compression === 7) {
    const offsets = tagNumbers(input, le, ifd.entries.get(TAG.stripOffsets), 2);
    const counts = tagNumbers(input, le, ifd.entries.get(TAG.stripByteCounts), 2);
    if (offsets.length === 1 && counts.length === 1)
      found.push({ offset: offsets[0] ?? 0, length: counts[0] ?? 0 });
  }
  return found;
}

/** Olympus keeps its preview in the maker note's CameraSettings; Nikon has a PreviewIFD there. */
function makerNoteCandidates(input: Buffer, start: number, length: number): Candidate[] {
  const head = input.subarray(start, Math.min(start + 16, input.length)).toString("latin1");
  try {
    if (head.startsWith("OLYMPUS\0") || head.startsWith("OM SYSTEM")) {
      const base = start;
      const tiffAt = head.startsWith("OLYMPUS\0") ? start + 8 : start + 12;
      const le = input.toString("latin1", tiffAt, tiffAt + 2) === "II";
      const ifd = readIfd(input, le, tiffAt + 4, base);
      const settings = ifd.entries.get(0x2020);
      if (!settings) return [];
      // Older bodies store the sub-IFD inline as UNDEFINED bytes, newer ones as an IFD pointer.
      const innerAt = settings.type === 7 ? settings.valueOffset : base + settings.value;
      const inner = readIfd(input, le, innerAt, base);
      const offset = inner.entries.get(0x101)?.value;
      const size = inner.entries.get(0x102)?.value;
      return offset && size ? [{ offset: base + offset, length: size }] : [];
    }
    if (head.startsWith("Nikon\0") && length > 18) {
      const base = start + 10; // an embedded TIFF header: offsets inside are relative to it
      const { littleEndian: le, firstIfd } = readTiffHeader(input, base);
      const ifd = readIfd(input, le, firstIfd, base);
      const previewIfd = ifd.entries.get(0x11);
      if (!previewIfd) return [];
      const preview = readIfd(input, le, base + previewIfd.value, base);
      const offset = preview.entries.get(TAG.jpegOffset)?.value;
      const size = preview.entries.get(TAG.jpegLength)?.value;
      return offset && size ? [{ offset: base + offset, length: size }] : [];
    }
  } catch {
    // A damaged maker note only costs us its preview; the standard IFDs may still have one.
  }
  return [];
}

/**
 * Whether IFD0 is the full image (as in a scanner's or editor's TIFF) rather than a RAW's reduced
 * thumbnail: only then is decoding the TIFF directly a faithful fallback.
 */
export function isPlainTiff(input: Buffer): boolean {
  try {
    const { littleEndian, firstIfd } = readTiffHeader(input);
    return (readIfd(input, littleEndian, firstIfd).entries.get(TAG.subfileType)?.value ?? 0) === 0;
  } catch {
    return false;
  }
}

/**
 * The size of the picture in the sensor data, as the file declares it: the full-resolution image
 * IFD (subfile type 0 holding CFA or LinearRaw samples, or 12+ bits per sample), its DNG
 * DefaultCropSize when it has one, else EXIF's PixelX/YDimension; undefined when nothing says.
 */
export function rawImageSize(input: Buffer): { width: number; height: number } | undefined {
  let ifds: Ifd[];
  let le: boolean;
  try {
    ({ le, ifds } = readRawIfds(input));
  } catch {
    return undefined;
  }
  let best: { width: number; height: number } | undefined;
  let exif: { width: number; height: number } | undefined;
  for (const { entries } of ifds) {
    const x = entries.get(TAG.pixelXDimension)?.value;
    const y = entries.get(TAG.pixelYDimension)?.value;
    if (x && y) exif = { width: x, height: y };
    const width = entries.get(TAG.imageWidth)?.value;
    const height = entries.get(TAG.imageLength)?.value;
    const full = (entries.get(TAG.subfileType)?.value ?? 0) === 0;
    const bits = entries.get(TAG.bitsPerSample)?.value ?? 8;
    const photometric = entries.get(TAG.photometric)?.value ?? 0;
    if (!width || !height || !full || !(SENSOR_PHOTOMETRIC.has(photometric) || bits >= 12)) continue;
    const crop = tagNumbers(input, le, entries.get(TAG.defaultCropSize), 2);
    const size =
      crop.length === 2 ? { width: crop[0] ?? width, height: crop[1] ?? height } : { width, height };
    if (!best || size.width * size.height > best.width * best.height) best = size;
  }
  return best ?? exif;
}
