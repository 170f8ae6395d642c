/**
 * HEIC/HEIF (iPhone photos) through libheif compiled to WebAssembly (`heic-decode` over
 * `libheif-js`): sharp's prebuilt libvips has no HEVC decoder for patent reasons, and a WebAssembly
 * build needs no native layer in Lambda. libheif applies the file's rotation and mirroring (irot/imir),
 * so the pixels come out upright.
 */
import type HeicDecode from "heic-decode";
import { ImagingError } from "./errors.ts";

/**
 * libheif decodes inside a WebAssembly heap of at most 2 GiB that never shrinks, at about 10 bytes
 * per pixel (YUV planes, RGBA, and the copy handed to JavaScript). 64 Mpixel (~640 MB) covers every
 * phone (iPhone "HEIF Max" is 48 Mpixel) and keeps a hostile file from exhausting the heap.
 */
export const HEIC_MAX_PIXELS = 64_000_000;

export interface DecodedPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 4;
}

/** Loaded on first use: the WebAssembly module costs ~25 MB and its start-up time on every cold start. */
let decoder: Promise<typeof HeicDecode> | undefined;

export async function decodeHeic(input: Buffer, maxInputPixels: number): Promise<DecodedPixels> {
  decoder ??= import("heic-decode").then((module) => module.default);
  const decode = await decoder;
  let images: Awaited<ReturnType<typeof decode.all>>;
  try {
    images = await decode.all({ buffer: input });
  } catch (error) {
    throw new ImagingError("corrupt_image", `HEIC container unreadable: ${messageOf(error)}`, {
      cause: error,
    });
  }
  try {
    const primary = images[0];
    if (!primary) throw new ImagingError("corrupt_image", "HEIC file holds no image");
    // Checked before decoding: the declared size is all a bomb needs to exhaust the WebAssembly heap.
    const limit = Math.min(maxInputPixels, HEIC_MAX_PIXELS);
    if (primary.width * primary.height > limit) {
      throw new ImagingError(
        "too_many_pixels",
        `HEIC declares ${primary.width}x${primary.height}, more than ${limit} pixels`,
      );
    }
    let decoded: Awaited<ReturnType<typeof primary.decode>>;
    try {
      decoded = await primary.decode();
    } catch (error) {
      throw new ImagingError("corrupt_image", `HEIC image data undecodable: ${messageOf(error)}`, {
        cause: error,
      });
    }
    const { data, width, height } = decoded;
    return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height, channels: 4 };
  } finally {
    images.dispose();
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
