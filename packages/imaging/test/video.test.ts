import { describe, expect, it } from "vitest";
import {
  convertPhoto,
  DEFAULT_RENDITION_OPTIONS,
  probeVideo,
  reelsEligibility,
  type VideoResult,
} from "../src/index.ts";
import { type Mp4Options, mp4 } from "./fixtures/mp4-writer.ts";

async function verdict(options: Mp4Options): Promise<VideoResult> {
  const result = await convertPhoto(mp4(options), DEFAULT_RENDITION_OPTIONS);
  if (result.kind !== "video") throw new Error("expected a video");
  return result;
}

const rules = (result: VideoResult) => result.reels.violations.map((v) => v.split(":")[0]);

describe("imaging: video probing and the Reels verdict", () => {
  it("probes container, codecs, duration, frame rate, size and faststart from the boxes", () => {
    const probe = probeVideo(
      mp4({ seconds: 12, fps: 30, width: 1080, height: 1920, bitrate: 6_000_000 }),
      "mp4",
    );
    expect(probe).toMatchObject({
      container: "mp4",
      brand: "isom",
      width: 1080,
      height: 1920,
      videoCodec: "h264",
      chroma: "420",
      rotation: 0,
      audio: { codec: "aac", sampleRate: 48000, channels: 2 },
      faststart: true,
      editList: false,
    });
    expect(probe.durationSeconds).toBeCloseTo(12, 3);
    expect(probe.frameRate).toBeCloseTo(30, 1);
    expect(probe.videoBitrate / 1e6).toBeCloseTo(6, 1);
  });

  it("hands a phone video inside the spec to Reels", async () => {
    const result = await verdict({});
    expect(result.reels).toEqual({ eligible: true, violations: [] });
    const hevcMov = await verdict({
      brand: "qt  ",
      codec: "hvc1",
      rotation: 90,
      width: 1920,
      height: 1080,
      fps: 59.94,
    });
    expect(hevcMov.probe).toMatchObject({
      container: "mov",
      videoCodec: "hevc",
      width: 1080,
      height: 1920,
      rotation: 90,
    });
    expect(hevcMov.reels.eligible).toBe(true);
  });

  it("names each rule a video breaks", async () => {
    expect(rules(await verdict({ seconds: 2 }))).toEqual(["duration"]);
    expect(rules(await verdict({ seconds: 16 * 60, bitrate: 1_000_000 }))).toEqual(["duration"]);
    expect(rules(await verdict({ fps: 15 }))).toEqual(["frame_rate"]);
    expect(rules(await verdict({ fps: 120 }))).toEqual(["frame_rate"]);
    expect(rules(await verdict({ width: 3840, height: 2160 }))).toEqual(["width"]);
    expect(rules(await verdict({ codec: "mp4v" }))).toEqual(["video_codec"]);
    expect(rules(await verdict({ faststart: false }))).toEqual(["faststart"]);
    expect(rules(await verdict({ bitrate: 40_000_000 }))).toEqual(["video_bitrate"]);
    expect(rules(await verdict({ chromaFormat: 2 }))).toEqual(["chroma"]);
    expect(rules(await verdict({ edits: [0, 90000] }))).toEqual(["edit_list"]);
    expect(rules(await verdict({ audio: { sampleRate: 64000, channels: 6 } }))).toEqual([
      "audio_sample_rate",
      "audio_channels",
    ]);
    expect(rules(await verdict({ audio: { codec: "ac-3", sampleRate: 48000, channels: 2 } }))).toEqual([
      "audio_codec",
    ]);
    const many = await verdict({ seconds: 1, fps: 10, faststart: false });
    expect(many.reels.eligible).toBe(false);
    expect(many.reels.violations.join("; ")).toMatch(/duration: 1\.00 s .*frame_rate: .*faststart/);
  });

  it("accepts the edit lists phones write to shift the start, and silent videos", async () => {
    expect((await verdict({ edits: [1024] })).reels.eligible).toBe(true);
    expect((await verdict({ edits: [-1, 0] })).reels.eligible).toBe(true);
    const silent = await verdict({ audio: false });
    expect(silent.probe.audio).toBeUndefined();
    expect(silent.reels.eligible).toBe(true);
  });

  it("judges probes from elsewhere by the same rules", () => {
    const probe = probeVideo(mp4({ seconds: 5 }), "mp4");
    expect(reelsEligibility({ ...probe, sizeBytes: 400_000_000 }).violations).toEqual([
      expect.stringMatching(/^file_size:/),
    ]);
  });

  it("names a video whose index (moov) is missing as truncated", async () => {
    const video = mp4();
    const moovAt = video.indexOf("moov") - 4;
    const noIndex = Buffer.concat([
      video.subarray(0, moovAt),
      Buffer.from([0, 0, 0, 8]),
      Buffer.from("free"),
    ]);
    await expect(
      convertPhoto(
        Buffer.concat([noIndex, Buffer.from([0, 0, 0, 8]), Buffer.from("mdat")]),
        DEFAULT_RENDITION_OPTIONS,
      ),
    ).rejects.toMatchObject({ code: "truncated" });
  });
});
