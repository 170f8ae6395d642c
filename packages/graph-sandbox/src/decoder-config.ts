/**
 * What Meta's video rules ask of the bitstream, read from the decoder configuration of an MP4 video
 * track: the H.264 `avcC` (its sequence parameter set, ITU-T H.264 §7.3.2.1.1) or the HEVC `hvcC`
 * (ISO/IEC 14496-15 §8.3.3). Chroma format, bit depth and progressive scan come from there.
 */
import { BitReader } from "./bit-reader.ts";

export interface StreamConfig {
  codec: "h264" | "hevc";
  profile: number;
  chroma: "400" | "420" | "422" | "444";
  bitDepth: number;
  /** Frames, not fields (H.264 `frame_mbs_only_flag`; HEVC no `general_interlaced_source_flag`). */
  progressive: boolean;
  /** Bytes of the length prefix of each NAL unit in a sample. */
  nalLengthSize: number;
}

const CHROMA = ["400", "420", "422", "444"] as const;
/** H.264 profiles whose SPS carries chroma format, bit depth and scaling matrices. */
const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

export function readAvcC(avcC: Uint8Array): StreamConfig {
  const profile = avcC[1] ?? 0;
  const nalLengthSize = ((avcC[4] ?? 3) & 3) + 1;
  const spsLength = ((avcC[6] ?? 0) << 8) | (avcC[7] ?? 0);
  const sps = avcC.subarray(9, 8 + spsLength); // past the one-byte NAL header
  const bits = new BitReader(sps);
  bits.u(24); // profile, constraint flags, level
  bits.ue(); // seq_parameter_set_id
  let chromaFormat = 1;
  let bitDepth = 8;
  if (HIGH_PROFILES.has(profile)) {
    chromaFormat = bits.ue();
    if (chromaFormat === 3) bits.u(1);
    bitDepth = bits.ue() + 8;
    bits.ue(); // bit_depth_chroma_minus8
    bits.u(1);
    if (bits.u(1) === 1) {
      for (let i = 0; i < (chromaFormat === 3 ? 12 : 8); i++)
        if (bits.u(1) === 1) skipScalingList(bits, i < 6 ? 16 : 64);
    }
  }
  bits.ue(); // log2_max_frame_num_minus4
  const pocType = bits.ue();
  if (pocType === 0) bits.ue();
  else if (pocType === 1) {
    bits.u(1);
    bits.se();
    bits.se();
    for (let n = bits.ue(); n > 0; n--) bits.se();
  }
  bits.ue(); // max_num_ref_frames
  bits.u(1);
  bits.ue(); // pic_width_in_mbs_minus1
  bits.ue(); // pic_height_in_map_units_minus1
  const progressive = bits.u(1) === 1;
  return {
    codec: "h264",
    profile,
    chroma: CHROMA[chromaFormat] ?? "420",
    bitDepth,
    progressive,
    nalLengthSize,
  };
}

function skipScalingList(bits: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) next = (last + bits.se() + 256) % 256;
    last = next === 0 ? last : next;
  }
}

export function readHvcC(hvcC: Uint8Array): StreamConfig {
  return {
    codec: "hevc",
    profile: (hvcC[1] ?? 0) & 0x1f,
    chroma: CHROMA[(hvcC[16] ?? 1) & 3] ?? "420",
    bitDepth: ((hvcC[17] ?? 0) & 7) + 8,
    // general_constraint_indicator_flags start with progressive_source, interlaced_source.
    progressive: ((hvcC[6] ?? 0) & 0x40) === 0,
    nalLengthSize: ((hvcC[21] ?? 3) & 3) + 1,
  };
}

/** The NAL unit type of the first byte(s) of a NAL unit. */
export function nalType(codec: StreamConfig["codec"], header: number): number {
  return codec === "h264" ? header & 0x1f : (header >> 1) & 0x3f;
}

/** A picture a decoder can start at with nothing before it: H.264 IDR (5); HEVC IDR or BLA (16–20). */
export function isClosedRandomAccess(codec: StreamConfig["codec"], type: number): boolean {
  return codec === "h264" ? type === 5 : type >= 16 && type <= 20;
}

/** Slices (VCL NAL units) carry the picture; parameter sets, SEI and delimiters come before them. */
export function isSlice(codec: StreamConfig["codec"], type: number): boolean {
  return codec === "h264" ? type >= 1 && type <= 5 : type <= 31;
}
