/**
 * Turns the bytes of any supported image into something sharp can decode, with its upright size,
 * and refuses decompression bombs from the declared size before a single pixel is decoded.
 */
import sharp, { type Metadata, type Sharp } from "sharp";
import { decodeHeic } from "./decode-heic.ts";
import { checkPixels, decodeOptions } from "./decode-limits.ts";
import { ImagingError } from "./errors.ts";
import { gifFirstFrameSize } from "./gif-frame-size.ts";
import { heicIccProfile } from "./heic-colour-profile.ts";
import { openRaw } from "./open-raw.ts";
import { swapsAxes } from "./orientation.ts";
import { sharpFailure } from "./sharp-failure.ts";
import { rgbaTiff } from "./tiff-wrap.ts";
import type { DetectedFormat } from "./types.ts";

export interface Size {
  width: number;
  height: number;
}

const resizeTo = (img: Sharp, size: Size | undefined): Sharp =>
  size ? img.resize({ ...size, fit: "fill" }) : img;

export interface OpenedImage {
  /** A fresh decoder for the image, turned upright and, given a size, resized to it. */
  open(size?: Size): Promise<Sharp>;
  /** Upright size. */
  width: number;
  height: number;
  /** The orientation tag the file carried, if any. */
  orientation?: number;
  /** The error to report if decoding fails: set when this decode is only a fallback for a RAW. */
  fallbackFor?: ImagingError;
}

/**
 * Opens `input` for decoding. `neededLongEdge` is the longest edge any rendition needs: a RAW whose
 * previews are smaller than that (and than its sensor image) is developed with LibRaw instead.
 */
export async function openImage(
  input: Buffer,
  format: DetectedFormat,
  maxInputPixels: number,
  neededLongEdge = Number.POSITIVE_INFINITY,
): Promise<OpenedImage> {
  if (format.format === "heic") {
    const pixels = await decodeHeic(input, maxInputPixels);
    const { width, height } = pixels;
    const icc = heicIccProfile(input);
    const raw = { width, height, channels: pixels.channels };
    const open = async (size?: Size): Promise<Sharp> => {
      const img = resizeTo(sharp(pixels.data, { raw }), size);
      if (!icc) return img;
      // Resize first (it is colour-space agnostic), then tag the smaller pixels with their profile.
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      return sharp(rgbaTiff(data, info.width, info.height, icc));
    };
    return { open, width, height };
  }
  if (format.kind === "raw") {
    const openPlain = () => openWithSharp(input, format, maxInputPixels);
    return openRaw(input, { maxInputPixels, neededLongEdge, openPlain });
  }
  if (format.format === "gif") {
    const frame = gifFirstFrameSize(input);
    if (frame) checkPixels(frame.width, frame.height, maxInputPixels, "the GIF's first frame");
  }
  return openWithSharp(input, format, maxInputPixels);
}

async function openWithSharp(
  input: Buffer,
  format: DetectedFormat,
  maxInputPixels: number,
): Promise<OpenedImage> {
  let meta: Metadata;
  try {
    // Header only: the pixel limit is ours to apply below, with a clearer message than libvips's.
    meta = await sharp(input, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw sharpFailure(error, input, format);
  }
  const { width, height } = meta;
  if (!width || !height)
    throw new ImagingError("corrupt_image", `${format.format} header gives no image size`);
  checkPixels(width, height, maxInputPixels, `the ${format.format} header`);
  const swap = swapsAxes(meta.orientation);
  return {
    open: async (size?: Size) => resizeTo(sharp(input, decodeOptions(maxInputPixels)).autoOrient(), size),
    width: swap ? height : width,
    height: swap ? width : height,
    ...(meta.orientation !== undefined && { orientation: meta.orientation }),
  };
}
