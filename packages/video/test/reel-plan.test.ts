import { describe, expect, it } from "vitest";
import { DEFAULT_REEL_SETTINGS, planReel, type ReelProbe, reelArgs } from "../src/index.ts";

/** A phone video within the Reels spec; each test changes what it is about. */
const probe = (change: Partial<ReelProbe> = {}): ReelProbe => ({
  container: "mp4",
  sizeBytes: 20_000_000,
  durationSeconds: 20,
  width: 1080,
  height: 1920,
  frameRate: 30,
  videoCodec: "h264",
  videoBitrate: 8_000_000,
  chroma: "420",
  rotation: 0,
  audio: { codec: "aac", sampleRate: 48000, channels: 2 },
  faststart: true,
  editList: false,
  bitDepth: 8,
  variableFrameRate: false,
  interlaced: false,
  hasLocation: false,
  ...change,
});
const plan = (change: Partial<ReelProbe>, settings = DEFAULT_REEL_SETTINGS) =>
  planReel(probe(change), settings);
const rules = (change: Partial<ReelProbe>) => plan(change).reasons.map((r) => r.slice(0, r.indexOf(":")));

describe("video: what a video needs to become a Reel", () => {
  it("passes a video within the spec through, with no reasons", () => {
    expect(plan({})).toEqual({
      action: "passthrough",
      reasons: [],
      video: "copy",
      audio: "copy",
      outputSeconds: 20,
      padSeconds: 0,
    });
  });

  it("remuxes, copying both streams, for faults of the container alone", () => {
    for (const change of [{ faststart: false }, { editList: true }, { hasLocation: true }]) {
      expect(plan(change)).toMatchObject({ action: "remux", video: "copy", audio: "copy" });
    }
    expect(plan({ hasLocation: true }, { ...DEFAULT_REEL_SETTINGS, stripLocation: false }).action).toBe(
      "passthrough",
    );
  });

  it("re-encodes only the audio when only the audio breaks the rules", () => {
    expect(plan({ audio: { codec: "aac", sampleRate: 96000, channels: 6 } })).toMatchObject({
      action: "transcode",
      video: "copy",
      audio: "encode",
    });
  });

  it("transcodes HEVC, HDR, 10-bit, rotated, interlaced and 4:2:2 video", () => {
    expect(rules({ videoCodec: "hevc" })).toEqual(["video_codec"]);
    expect(rules({ videoCodec: "hevc", bitDepth: 10, hdr: "hlg" })).toEqual(
      expect.arrayContaining(["hdr", "video_codec"]),
    );
    expect(rules({ bitDepth: 10 })).toEqual(["bit_depth"]);
    expect(rules({ rotation: 90 })).toEqual(["rotation"]);
    expect(rules({ interlaced: true })).toEqual(["interlaced"]);
    expect(rules({ chroma: "422" })).toEqual(["chroma"]);
    expect(plan({ hdr: "pq", bitDepth: 10 }).video).toMatchObject({ toneMap: "pq" });
  });

  it("fits 4K into 1920 px on the long edge, keeping the aspect and even sizes", () => {
    expect(plan({ width: 3840, height: 2160 }).video).toMatchObject({ width: 1920, height: 1080 });
    expect(plan({ width: 2160, height: 3840 }).video).toMatchObject({ width: 1080, height: 1920 });
    expect(plan({ width: 1922, height: 1081 }).video).toMatchObject({ width: 1920, height: 1080 });
  });

  it("keeps a constant rate in range, and snaps others to a standard rate at most 60 fps", () => {
    expect(plan({ frameRate: 29.97, rotation: 90 }).video).toMatchObject({ frameRate: 29.97 });
    expect(plan({ frameRate: 120 }).video).toMatchObject({ frameRate: 60 });
    expect(plan({ frameRate: 15 }).video).toMatchObject({ frameRate: 24 });
    // A "30 fps" phone video that dipped in low light averages 27 fps; its peak says 30.
    expect(plan({ frameRate: 27.3, variableFrameRate: true, peakFrameRate: 30 }).video).toMatchObject({
      frameRate: 30,
    });
  });

  it("leaves a clip of 3 s or more its length", () => {
    expect(plan({ durationSeconds: 3.05, faststart: false })).toMatchObject({
      action: "remux",
      padSeconds: 0,
    });
  });

  it("holds the last frame (and pads the audio) of a clip shorter than 3 s", () => {
    const short = plan({ durationSeconds: 1.2 });
    expect(short).toMatchObject({ action: "transcode", audio: "encode" });
    expect(short.outputSeconds).toBeGreaterThanOrEqual(3);
    expect(short.padSeconds).toBeCloseTo(short.outputSeconds - 1.2, 6);
    const args = reelArgs("in.mov", "out.mp4", probe({ durationSeconds: 1.2 }), short, DEFAULT_REEL_SETTINGS);
    expect(args.join(" ")).toMatch(/tpad=stop_mode=clone:stop_duration=2\.000.* -af apad /);
  });

  it("cuts a video over 15 min to 15 min and lowers the bitrate cap so it stays under 300 MB", () => {
    const long = plan({ durationSeconds: 1200, sizeBytes: 900_000_000, videoBitrate: 6_000_000 });
    expect(long.outputSeconds).toBe(900);
    const cap = long.video === "copy" ? 0 : long.video.maxBitrate;
    // x264's VBV bounds the stream by maxrate × duration plus one buffer (2 × maxrate).
    const worstBytes = (cap * 900 + cap * 2 + DEFAULT_REEL_SETTINGS.audioBitrate * 900) / 8;
    expect(worstBytes).toBeLessThan(300_000_000);
  });

  it("writes H.264 High 8-bit 4:2:0 tagged BT.709, closed GOPs, moov first, no edit lists, no metadata", () => {
    const p = probe({
      videoCodec: "hevc",
      bitDepth: 10,
      hdr: "pq",
      colour: { primaries: 9, transfer: 16, matrix: 9 },
    });
    const args = reelArgs(
      "in.mov",
      "out.mp4",
      p,
      planReel(p, DEFAULT_REEL_SETTINGS),
      DEFAULT_REEL_SETTINGS,
    ).join(" ");
    for (const part of [
      "-c:v libx264 -profile:v high",
      "-pix_fmt yuv420p",
      "-color_primaries bt709 -color_trc bt709 -colorspace bt709",
      "open-gop=0",
      "zscale=w=1080:h=1920:f=bicubic:tin=smpte2084:pin=bt2020:min=bt2020nc:t=linear",
      "tonemap=tonemap=hable",
      "-c:a copy",
      "-movflags +faststart+write_colr -use_editlist 0",
      "-map_metadata -1",
    ]) {
      expect(args).toContain(part);
    }
  });
});
