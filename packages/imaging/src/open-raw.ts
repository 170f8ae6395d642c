/**
 * Opens a camera RAW: through its largest embedded JPEG preview when that serves every rendition
 * (the fast path: a D800 NEF carries a full-size one), else by developing the sensor data with
 * LibRaw. A preview "serves" when its long edge reaches what the renditions need, or 90 % of the
 * sensor image's, whichever is smaller; a thumbnail-only RAW is developed. When LibRaw cannot
 * develop a file, whatever preview it has is used, as before LibRaw was here.
 */
import sharp from "sharp";
import { checkPixels, decodeOptions } from "./decode-limits.ts";
import { developRaw } from "./develop-raw.ts";
import { ImagingError } from "./errors.ts";
import type { OpenedImage, Size } from "./open-image.ts";
import { applyOrientation, swapsAxes } from "./orientation.ts";
import { extractRawPreview, isPlainTiff, type RawPreview, rawImageSize } from "./raw-preview.ts";

const FULL_SIZE_SHARE = 0.9;
/** No camera's lossless compression gets below ~3 bits a photosite; under 1 bit, the data is gone. */
const MIN_PIXELS_PER_BYTE = 8;
/** LibRaw's share of the convert Lambda's 60 s, leaving time to render and upload. */
const DEVELOP_TIMEOUT_MS = 40_000;

export interface RawOpenOptions {
  maxInputPixels: number;
  /** The longest edge any rendition needs from the source. */
  neededLongEdge: number;
  /** How a plain TIFF mistaken for a RAW (a scanner's, say) is opened instead. */
  openPlain: () => Promise<OpenedImage>;
}

export async function openRaw(input: Buffer, options: RawOpenOptions): Promise<OpenedImage> {
  let preview: RawPreview | undefined;
  let missing: ImagingError | undefined;
  try {
    preview = extractRawPreview(input);
  } catch (error) {
    if (!(error instanceof ImagingError) || error.code === "truncated") throw error;
    missing = error;
  }
  const sensor = rawImageSize(input);
  const sensorLong = sensor ? Math.max(sensor.width, sensor.height) : undefined;
  const wanted = Math.min(options.neededLongEdge, (sensorLong ?? Number.POSITIVE_INFINITY) * FULL_SIZE_SHARE);
  if (preview && Math.max(preview.width, preview.height) >= wanted) return openPreview(preview, options);
  if (!preview && isPlainTiff(input)) {
    const plain = await options.openPlain().catch(() => undefined);
    if (plain) return { ...plain, ...(missing && { fallbackFor: missing }) };
  }
  try {
    if (sensor && input.length < (sensor.width * sensor.height) / MIN_PIXELS_PER_BYTE) {
      throw new ImagingError(
        "no_preview",
        `the file's ${input.length} bytes cannot hold the ${sensor.width}x${sensor.height} sensor image it declares`,
      );
    }
    return await openDeveloped(input, options, sensorLong);
  } catch (error) {
    if (preview && error instanceof ImagingError && error.code === "no_preview")
      return openPreview(preview, options);
    if (error instanceof ImagingError && error.code === "no_preview" && missing) {
      throw new ImagingError("no_preview", `${missing.message}, and ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function openPreview(preview: RawPreview, options: RawOpenOptions): OpenedImage {
  checkPixels(preview.width, preview.height, options.maxInputPixels, "the RAW's preview");
  const swap = swapsAxes(preview.orientation);
  return {
    open: async (size?: Size) => {
      const decode = decodeOptions(options.maxInputPixels);
      const img = applyOrientation(sharp(preview.jpeg, decode), preview.orientation);
      return size ? img.resize({ ...size, fit: "fill" }) : img;
    },
    width: swap ? preview.height : preview.width,
    height: swap ? preview.width : preview.height,
    orientation: preview.orientation,
  };
}

async function openDeveloped(
  input: Buffer,
  options: RawOpenOptions,
  sensorLong: number | undefined,
): Promise<OpenedImage> {
  // Half size bins 2×2 photosites into one pixel: still more than enough when half the sensor covers the renditions.
  const halfSize = sensorLong !== undefined && sensorLong / 2 >= options.neededLongEdge;
  const developed = await developRaw(input, {
    maxInputPixels: options.maxInputPixels,
    halfSize,
    timeoutMs: DEVELOP_TIMEOUT_MS,
  });
  const { data, width, height } = developed;
  const raw = { width, height, channels: 3 } as const;
  return {
    open: async (size?: Size) => {
      const img = sharp(data, { raw });
      return size ? img.resize({ ...size, fit: "fill" }) : img;
    },
    width,
    height,
  };
}
