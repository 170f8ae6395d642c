/**
 * Renders the renditions from one decode. The source is decoded once, upright, in sRGB, at the
 * smallest size every rendition can be made from (JPEG shrink-on-load makes that cheap for big
 * photos); the frame analysis and Instagram's source rules read those pixels, and the renditions
 * are then cut from them in parallel. The Instagram rendition is made only when the rules allow it,
 * and checked against them once encoded.
 */
import sharp, { type Sharp } from "sharp";
import { ImagingError } from "./errors.ts";
import { analyseFrame, type FrameAnalysis } from "./frame-analysis.ts";
import {
  INSTAGRAM_LIMITS,
  type InstagramFrame,
  instagramScale,
  planInstagramFrame,
} from "./instagram-frame.ts";
import { checkInstagramRendition, checkInstagramSource, type InstagramRefusal } from "./instagram-rules.ts";
import type { OpenedImage } from "./open-image.ts";
import type { RenderedImage, Rendition, RenditionOptions } from "./types.ts";

/** The renditions and the analysis; `instagram` says whether the Instagram rendition was made. */
export type Rendered = { analysis: FrameAnalysis } & (
  | { instagram: { status: "ready" }; renditions: Record<Rendition, RenderedImage> }
  | { instagram: InstagramRefusal; renditions: Record<Exclude<Rendition, "instagram">, RenderedImage> }
);

/** Pixels in memory: 8-bit sRGB, no alpha (JPEG has none; transparent areas become white). */
interface Pixels {
  data: Buffer;
  raw: { width: number; height: number; channels: 3 };
}

/** EXIF fields carried into the outputs when the options keep them. */
export interface KeptExif {
  Artist?: string;
  Copyright?: string;
}

const DECODE_TIMEOUT_SECONDS = 30;
const ENCODE_TIMEOUT_SECONDS = 10;
const QUALITY_STEP = 8;
const MIN_QUALITY = 40;
const THUMBNAIL_QUALITY = 80;
/** libwebp's effort 2 of 0 … 6 (default 4): 22 ms instead of 30 for a 400 px thumbnail, 3 % larger. */
const THUMBNAIL_EFFORT = 2;

export async function renderRenditions(
  image: OpenedImage,
  options: RenditionOptions,
  kept: KeptExif,
): Promise<Rendered> {
  const { width, height } = image;
  const longEdge = Math.max(width, height);
  const frame = planInstagramFrame(width, height, options.instagramWidth, options.aspect);
  const webScale = Math.min(1, options.webLongEdge / longEdge);
  const thumbnailScale = Math.min(1, options.thumbnailLongEdge / longEdge);
  const scale = Math.min(1, Math.max(webScale, thumbnailScale, instagramScale(frame, width, height)));
  const base = await decodeUpright(image, scale);

  // The web JPEG is progressive (a page shows it at once, then sharpens it), which costs a 36 MP
  // frame's conversion about 80 ms of its ≈ 300 ms of CPU. The Instagram JPEG, only ever
  // downloaded by Meta, is baseline with libjpeg's standard Huffman tables: optimised ones took
  // longer to encode for files ≈ 1 % smaller.
  const finishJpeg = (img: Sharp, quality: number, progressive: boolean): Sharp => {
    const out = img.withIccProfile("srgb");
    const exif = Object.keys(kept).length > 0 ? out.withExif({ IFD0: { ...kept } }) : out;
    return exif
      .jpeg({ quality, progressive, optimiseCoding: progressive, chromaSubsampling: "4:2:0" })
      .timeout({ seconds: ENCODE_TIMEOUT_SECONDS });
  };

  const web = async (): Promise<RenderedImage> => {
    const size = scaled(width, height, webScale);
    const data = await finishJpeg(resized(base, size), options.jpegQuality, true).toBuffer();
    return { data, contentType: "image/jpeg", ...size };
  };
  const thumbnail = async (): Promise<RenderedImage> => {
    const size = scaled(width, height, thumbnailScale);
    const data = await resized(base, size)
      .webp({ quality: THUMBNAIL_QUALITY, effort: THUMBNAIL_EFFORT })
      .timeout({ seconds: ENCODE_TIMEOUT_SECONDS })
      .toBuffer();
    return { data, contentType: "image/webp", ...size };
  };
  const instagram = async (): Promise<RenderedImage | InstagramRefusal> => {
    const pixels = await composeInstagram(base, frame, options.padBackground ?? "blur");
    let data: Buffer;
    try {
      data = await encodeWithinBytes(
        (quality) => finishJpeg(sharp(pixels.data, { raw: pixels.raw }), quality, false).toBuffer(),
        options.jpegQuality,
        INSTAGRAM_LIMITS.maxBytes,
      );
    } catch (error) {
      if (!(error instanceof ImagingError && error.code === "too_large")) throw error;
      return { status: "refused", code: "file_size", reason: error.message };
    }
    const image = { data, contentType: "image/jpeg", width: frame.width, height: frame.height };
    return (await checkInstagramRendition(image)) ?? image;
  };
  // The renditions encode on libvips's threads while this thread analyses the frame. The rules
  // read the analysis; a refused photo's Instagram JPEG (rare) is then dropped, failure included.
  const made = Promise.all([web(), thumbnail()]);
  const posted = instagram();
  posted.catch(() => undefined);
  const analysis = await analyseFrame({ data: base.data, width: base.raw.width, height: base.raw.height });
  const refusal = checkInstagramSource({ width, height, ...analysis.colour });
  const [[w, t], ig] = await Promise.all([made, refusal ?? posted]);
  if ("status" in ig) return { analysis, instagram: ig, renditions: { web: w, thumbnail: t } };
  return { analysis, instagram: { status: "ready" }, renditions: { instagram: ig, web: w, thumbnail: t } };
}

/**
 * Encodes at `quality`, stepping the quality down until the result fits in `maxBytes`; a photo that
 * does not fit even at the lowest quality we accept fails as too_large.
 */
export async function encodeWithinBytes(
  encode: (quality: number) => Promise<Buffer>,
  quality: number,
  maxBytes: number,
): Promise<Buffer> {
  for (let q = quality; ; q = Math.max(MIN_QUALITY, q - QUALITY_STEP)) {
    const data = await encode(q);
    if (data.length <= maxBytes) return data;
    if (q <= MIN_QUALITY) {
      throw new ImagingError(
        "too_large",
        `still ${data.length} bytes at JPEG quality ${q}; the limit is ${maxBytes}`,
      );
    }
  }
}

const scaled = (width: number, height: number, scale: number) => ({
  width: Math.max(1, Math.round(width * scale)),
  height: Math.max(1, Math.round(height * scale)),
});

function resized(base: Pixels, size: { width: number; height: number }): Sharp {
  const img = sharp(base.data, { raw: base.raw });
  if (size.width === base.raw.width && size.height === base.raw.height) return img;
  return img.resize({ ...size, fit: "fill" });
}

async function decodeUpright(image: OpenedImage, scale: number): Promise<Pixels> {
  const img = await image.open(scale < 1 ? scaled(image.width, image.height, scale) : undefined);
  const { data, info } = await img
    .flatten({ background: "#ffffff" })
    .toColourspace("srgb")
    .raw({ depth: "uchar" })
    .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3)
    throw new ImagingError("corrupt_image", `decoded to ${info.channels} channels, not RGB`);
  return { data, raw: { width: info.width, height: info.height, channels: 3 } };
}

async function composeInstagram(base: Pixels, frame: InstagramFrame, background: "blur" | "white" | "black") {
  const { width, height, content } = frame;
  const toPixels = async (img: Sharp): Promise<Pixels> => {
    const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, raw: { width: info.width, height: info.height, channels: 3 } };
  };
  const source = sharp(base.data, { raw: base.raw });
  if (frame.mode === "fit") return toPixels(resized(base, frame));
  if (frame.mode === "crop")
    return toPixels(source.resize({ width, height, fit: "cover", position: "attention" }));

  const photo = await toPixels(resized(base, content));
  let canvas: Sharp;
  if (background === "blur") {
    // Blur a small cover-crop and enlarge it: the same look as blurring at full size, at a fraction of the cost.
    const small = await toPixels(
      source.resize({ width: Math.ceil(width / 16), height: Math.ceil(height / 16), fit: "cover" }).blur(2),
    );
    canvas = sharp(small.data, { raw: small.raw }).resize({ width, height, fit: "fill" });
  } else {
    const colour = background === "white" ? "#ffffff" : "#000000";
    canvas = sharp({ create: { width, height, channels: 3, background: colour } });
  }
  return toPixels(
    canvas.composite([{ input: photo.data, raw: photo.raw, left: content.left, top: content.top }]),
  );
}
