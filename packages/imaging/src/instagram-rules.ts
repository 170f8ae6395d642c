/**
 * Every rule Instagram applies to a feed image that the converter can check before a post is
 * attempted, in one place. Two moments: the source (would the post be absurd: enlarged, blank, a
 * sliver in a frame of padding?) before the rendition is made, and the rendition's own bytes (JPEG,
 * ≤ 8 MB, 4:5 … 1.91:1, 320 … 1440 px wide, 8-bit sRGB) after it is encoded, so that a bug of ours
 * is refused here with its name instead of by the Graph API (36000/36001/36003) after a container.
 */
import sharp from "sharp";
import { INSTAGRAM_LIMITS } from "./instagram-frame.ts";
import { jpegEnd } from "./jpeg-info.ts";
import type { RenderedImage } from "./types.ts";

/**
 * Why a photo gets no Instagram rendition.
 * - `too_small`: narrower than Instagram's 320 px minimum; posting it would mean enlarging it.
 * - `blank`: one flat colour (a lens-cap frame, a 1×1, a bomb that decodes to zeros): nothing to see.
 * - `extreme_aspect`: so long or tall that the photo would fill under a fifth of the posted frame.
 * - `not_jpeg`: the rendition is not a plain JPEG (Graph API 36001 / 2207005).
 * - `file_size`: over 8 MB even at the lowest quality we accept (36000 / 2207004).
 * - `aspect_ratio`: the rendition is outside 4:5 … 1.91:1 (36003 / 2207009).
 * - `width`: the rendition is outside 320 … 1440 px (Instagram would rescale it).
 * - `colour_space`: the rendition is not 8-bit sRGB.
 */
export type InstagramRuleCode =
  | "too_small"
  | "blank"
  | "extreme_aspect"
  | "not_jpeg"
  | "file_size"
  | "aspect_ratio"
  | "width"
  | "colour_space";

/** The verdict on a photo's Instagram rendition: refused with a code and a sentence for a person. */
export interface InstagramRefusal {
  status: "refused";
  code: InstagramRuleCode;
  reason: string;
}

/** The photo fills less than this share of a padded (or keeps less of itself in a cropped) frame. */
export const MIN_FRAME_COVERAGE = 0.2;
/**
 * Largest per-channel standard deviation (0…255, over the analysis image) of a "blank" photo. A
 * clear sky or a night shot still varies by several levels; a flat fill or a lens cap does not.
 */
export const BLANK_MAX_DEVIATION = 1.5;

const refuse = (code: InstagramRuleCode, reason: string): InstagramRefusal => ({
  status: "refused",
  code,
  reason,
});

/** What the source rules look at: the upright size and the colour spread of the decoded pixels. */
export interface SourceFacts {
  width: number;
  height: number;
  /** Standard deviation of each channel over the whole image. */
  deviation: readonly number[];
  /** Mean of each channel, for the reason's wording. */
  mean: readonly number[];
}

/** The first rule the source breaks, or undefined when an Instagram rendition may be made from it. */
export function checkInstagramSource(facts: SourceFacts): InstagramRefusal | undefined {
  const { width, height } = facts;
  const { minWidth, minRatio, maxRatio } = INSTAGRAM_LIMITS;
  if (width < minWidth) {
    return refuse(
      "too_small",
      `the photo is ${width}x${height} px; Instagram needs at least ${minWidth} px wide and we never enlarge a photo to post it`,
    );
  }
  if (Math.max(...facts.deviation) <= BLANK_MAX_DEVIATION) {
    const colour = facts.mean.map((v) => Math.round(v)).join(", ");
    return refuse("blank", `the photo is one flat colour (rgb ${colour}): there is nothing to post`);
  }
  const ratio = width / height;
  const coverage = ratio > maxRatio ? maxRatio / ratio : ratio < minRatio ? ratio / minRatio : 1;
  if (coverage < MIN_FRAME_COVERAGE) {
    return refuse(
      "extreme_aspect",
      `the photo's ${ratio.toFixed(2)}:1 would fill ${Math.round(coverage * 100)} % of Instagram's ` +
        `${minRatio}:1 … ${maxRatio}:1 frame (at least ${MIN_FRAME_COVERAGE * 100} % is needed)`,
    );
  }
  return undefined;
}

/** The first rule the encoded rendition breaks, read back from its bytes (a header read, no decode). */
export async function checkInstagramRendition(image: RenderedImage): Promise<InstagramRefusal | undefined> {
  const { minWidth, maxWidth, minRatio, maxRatio, maxBytes } = INSTAGRAM_LIMITS;
  if (image.data.length > maxBytes) {
    return refuse("file_size", `the JPEG is ${image.data.length} bytes; Instagram takes at most ${maxBytes}`);
  }
  const meta = await sharp(image.data).metadata();
  // Instagram refuses MPO (a JPEG with more images appended): the file must end where its JPEG ends.
  const single = jpegEnd(image.data) === image.data.length;
  if (meta.format !== "jpeg" || image.contentType !== "image/jpeg" || !single) {
    return refuse("not_jpeg", `the rendition is ${meta.format ?? "unknown"}, not a single plain JPEG`);
  }
  const { width = 0, height = 0 } = meta;
  if (width < minWidth || width > maxWidth) {
    return refuse("width", `the JPEG is ${width} px wide; Instagram takes ${minWidth} … ${maxWidth}`);
  }
  const ratio = width / height;
  if (ratio < minRatio || ratio > maxRatio) {
    return refuse(
      "aspect_ratio",
      `the JPEG is ${width}x${height} (${ratio.toFixed(3)}:1); Instagram takes ${minRatio}:1 … ${maxRatio}:1`,
    );
  }
  const profile = meta.icc ? iccDescription(meta.icc) : undefined;
  if (meta.space !== "srgb" || meta.depth !== "uchar" || meta.channels !== 3 || !profile?.includes("sRGB")) {
    return refuse(
      "colour_space",
      `the JPEG is ${meta.space}/${meta.depth}/${meta.channels} channels, profile ${profile ?? "none"}; Instagram wants 8-bit sRGB`,
    );
  }
  return undefined;
}

/** The ICC profile's description tag ('desc'), enough to tell sRGB from anything else. */
function iccDescription(icc: Buffer): string | undefined {
  const count = icc.length >= 132 ? icc.readUInt32BE(128) : 0;
  for (let i = 0; i < count && 132 + i * 12 + 12 <= icc.length; i++) {
    const at = 132 + i * 12;
    if (icc.toString("latin1", at, at + 4) !== "desc") continue;
    const offset = icc.readUInt32BE(at + 4);
    const size = icc.readUInt32BE(at + 8);
    // 'desc' (ICC v2) or 'mluc' (v4): either way the name is readable text inside the element.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: UTF-16 and ASCII padding
    return icc.toString("latin1", offset, offset + size).replace(/[\u0000-\u001f]/g, "");
  }
  return undefined;
}
