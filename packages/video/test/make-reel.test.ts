import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeReel, type ReelFile, VideoError } from "../src/index.ts";
import { corruptMediaData, type PhoneClip, phoneClip } from "./fixtures/phone-clips.ts";
import { type ReelSandbox, startReelSandbox } from "./fixtures/reel-sandbox.ts";

let dir: string;
let sandbox: ReelSandbox;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "video-test-"));
  sandbox = await startReelSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let jobs = 0;
const reelOf = async (input: string): Promise<ReelFile> =>
  makeReel({ input, workDir: await mkdtemp(join(dir, `job-${++jobs}-`)), deadlineMs: 10 * 60_000 });

/** Makes the Reel, then has the sandbox probe it against Meta's spec and publish it. */
async function accepted(input: string): Promise<ReelFile> {
  const reel = await reelOf(input);
  const verdict = await sandbox.publish(reel.file, reel.cover);
  expect(verdict, verdict.status).toMatchObject({ statusCode: "FINISHED", productType: "REELS" });
  expect((await readFile(reel.cover)).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  return reel;
}

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

describe("video: phone videos become Reels the sandbox accepts", () => {
  it.each<[PhoneClip, string]>([
    ["hevc_hdr_pq", "hdr"],
    ["hevc_hlg", "hdr"],
  ])("tone-maps %s to 8-bit SDR BT.709 H.264", async (kind, rule) => {
    const reel = await accepted(await phoneClip(kind, dir));
    expect(reel.kind).toBe("transcoded");
    expect(reel.plan.reasons.map((r) => r.split(":")[0])).toContain(rule);
    expect(reel.source).toMatchObject({
      videoCodec: "hevc",
      bitDepth: 10,
      hdr: kind === "hevc_hlg" ? "hlg" : "pq",
    });
    expect(reel.probe).toMatchObject({
      videoCodec: "h264",
      bitDepth: 8,
      chroma: "420",
      colour: { primaries: 1, transfer: 1, matrix: 1 },
    });
    expect(reel.probe.hdr).toBeUndefined();
  });

  it("scales 4K 60 fps into 1920 × 1080 at 60 fps and holds the last frame up to 3 s", async () => {
    const reel = await accepted(await phoneClip("uhd_60fps", dir));
    expect(reel.source).toMatchObject({ width: 3840, height: 2160 });
    expect(reel.probe).toMatchObject({ width: 1920, height: 1080, faststart: true, editList: false });
    expect(reel.probe.frameRate).toBeCloseTo(60, 0);
    expect(reel.probe.durationSeconds).toBeGreaterThanOrEqual(3);
    expect(reel.probe.audio).toMatchObject({ codec: "aac", sampleRate: 48000 });
  });

  it("turns a rotated MOV upright instead of relying on its display matrix", async () => {
    const reel = await accepted(await phoneClip("rotated", dir));
    expect(reel.source.rotation).not.toBe(0);
    expect(reel.probe).toMatchObject({ rotation: 0, width: 360, height: 640 });
  });

  it("gives a variable-frame-rate video a constant rate at its peak (30 fps)", async () => {
    const reel = await accepted(await phoneClip("variable_frame_rate", dir));
    expect(reel.source.variableFrameRate).toBe(true);
    expect(reel.probe).toMatchObject({ variableFrameRate: false });
    expect(reel.probe.frameRate).toBeCloseTo(30, 0);
  });

  it("re-encodes an audio-less HEVC clip without inventing an audio track", async () => {
    const reel = await accepted(await phoneClip("audioless_hevc", dir));
    expect(reel.probe.videoCodec).toBe("h264");
    expect(reel.probe.audio).toBeUndefined();
  });

  it("remuxes a video whose only fault is the moov at the end, copying its streams", async () => {
    const reel = await accepted(await phoneClip("moov_at_end", dir));
    expect(reel.kind).toBe("remuxed");
    expect(reel.plan).toMatchObject({ video: "copy", audio: "copy" });
    expect(reel.probe.faststart).toBe(true);
  });

  it("passes a video within the spec through byte-identical", async () => {
    const input = await phoneClip("in_spec", dir);
    const before = await sha256(input);
    const reel = await accepted(input);
    expect(reel).toMatchObject({ kind: "passthrough", file: input, plan: { reasons: [] } });
    expect(await sha256(reel.file)).toBe(before);
  });
});

describe("video: the real phone videos of the corpus", () => {
  const corpus = process.env.MEDIA_CORPUS;
  it.skipIf(!corpus).each([
    ["video/ipad-mini_hevc-aac_gps.mov", 720, 1280],
    ["video/android_h264-aac_1080p_gps.mp4", 1920, 1080],
  ])("makes %s a Reel, without its GPS position", async (file, width, height) => {
    const reel = await accepted(join(corpus ?? "", file));
    expect(reel.kind).toBe("transcoded");
    expect(reel.source.hasLocation).toBe(true);
    expect(reel.probe).toMatchObject({ width, height, hasLocation: false, rotation: 0 });
    expect(reel.probe.durationSeconds).toBeGreaterThanOrEqual(3);
  });
});

describe("video: files that cannot become Reels fail with the reason", () => {
  const failure = async (input: string) => {
    const error = await reelOf(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VideoError);
    return error as VideoError;
  };

  it("names damaged media data (the index reads, the frames do not decode)", async () => {
    const bad = await corruptMediaData(await phoneClip("in_spec", dir), join(dir, "zeroed.mp4"));
    expect(await failure(bad)).toMatchObject({
      code: "corrupt_video",
      message: expect.stringMatching(/cannot be decoded: .*Invalid data/),
    });
  });

  it("names an upload cut short before its index", async () => {
    const whole = await readFile(await phoneClip("moov_at_end", dir));
    await writeFile(join(dir, "cut.mp4"), whole.subarray(0, whole.length - 2000));
    expect(await failure(join(dir, "cut.mp4"))).toMatchObject({
      code: "corrupt_video",
      message: expect.stringMatching(/cut short/),
    });
  });

  it("refuses what is not an MP4/MOV at all", async () => {
    await writeFile(join(dir, "note.mp4"), "not a video, just text");
    expect(await failure(join(dir, "note.mp4"))).toMatchObject({ code: "unsupported_video" });
  });

  it("refuses early, with the measured speed, a video that cannot finish in time", async () => {
    const input = await phoneClip("long", dir);
    const workDir = await mkdtemp(join(dir, "late-"));
    // A clock that moves only with ffmpeg's progress, 6 s for each second written: the speed
    // measured is 1/6 of real time on any machine, under any load, so the 8 s video would take
    // 48 s (55.2 s with the first estimate's margin), more than the 50 s this run has.
    let written = 0;
    const now = () => written * 6000;
    const onProgress = (seconds: number) => {
      written = seconds;
    };
    const error = await makeReel({ input, workDir, deadlineMs: 50_000, now, onProgress }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: "over_deadline",
      message: expect.stringMatching(
        /^a 8\.0 s video would take about 56 s to transcode here \(measured 0\.17× real time over [\d.]+ s\), more than the 4\d s this run has for it$/,
      ),
    });
    expect(written).toBeGreaterThanOrEqual(2); // judged once the 2 s sample was written, not before
  });

  it("refuses without starting when the run has no time left", async () => {
    const input = await phoneClip("long", dir);
    const workDir = await mkdtemp(join(dir, "none-"));
    const error = await makeReel({ input, workDir, deadlineMs: 1000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "over_deadline", message: expect.stringContaining("no time left") });
    await expect(readFile(join(workDir, "reel.mp4"))).rejects.toThrow(/ENOENT/);
  });
});
