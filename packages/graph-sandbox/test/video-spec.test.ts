import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GraphSandbox,
  type MediaHost,
  startGraphSandbox,
  startMediaHost,
  VirtualClock,
} from "../src/index.ts";
import { type ClipOptions, clip } from "./ffmpeg-clips.ts";
import { call } from "./fixtures.ts";

let sandbox: GraphSandbox;
let host: MediaHost;
const clock = new VirtualClock({ frozen: true });
const token = "IGAA-spec";

beforeAll(async () => {
  [sandbox, host] = await Promise.all([
    startGraphSandbox({ clock, processingMs: 0, tokens: [token] }),
    startMediaHost(),
  ]);
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), host?.stop()]);
});

/** Uploads a clip as a Reel and returns the container's status once processed. */
async function reel(name: string, options: ClipOptions) {
  const url = host.put(`/${name}.mp4`, { body: await clip(options), contentType: "video/mp4" });
  const reply = await call(sandbox.url, "POST", `/v25.0/${sandbox.account.igUserId}/media`, {
    token,
    body: { media_type: "REELS", video_url: url },
  });
  clock.advance(60_000);
  const status = await call(sandbox.url, "GET", `/v25.0/${reply.body.id}`, {
    token,
    query: { fields: "status_code,status" },
  });
  return {
    status_code: status.body.status_code,
    status: status.body.status,
    container: sandbox.state.containers.get(String(reply.body.id)),
  };
}

const H264 = ["-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"];
const HEVC = ["-c:v", "libx265", "-tag:v", "hvc1", "-pix_fmt", "yuv420p"];

describe("graph-sandbox: the Reels video spec, on real encodes", () => {
  it("accepts H.264 High 4:2:0 with AAC, moov first, and reports what it probed", async () => {
    const result = await reel("ok", {});
    expect(result.status_code).toBe("FINISHED");
    expect(result.container?.videoProbe).toMatchObject({
      ok: true,
      faststart: true,
      video: {
        config: { codec: "h264", chroma: "420", progressive: true },
        width: 320,
        height: 568,
        frameRate: 30,
        closedGops: true,
      },
      audio: { codec: "aac", sampleRate: 48000, channels: 2 },
    });
  });

  it("accepts HEVC with closed GOPs and a video without audio", async () => {
    expect(
      (await reel("hevc", { video: [...HEVC, "-x265-params", "log-level=error:keyint=30:open-gop=0"] }))
        .status_code,
    ).toBe("FINISHED");
    expect((await reel("silent", { audio: null })).status_code).toBe("FINISHED");
  });

  it.each<[string, ClipOptions, string]>([
    ["moov at the end", { mux: [] }, "moov atom must precede mdat"],
    ["an open-GOP H.264 stream", { video: [...H264, "-x264-params", "keyint=30:open-gop=1"] }, "closed GOPs"],
    [
      "an open-GOP HEVC stream (CRA with leading pictures)",
      { video: [...HEVC, "-x265-params", "log-level=error:keyint=30:open-gop=1"] },
      "closed GOPs",
    ],
    ["interlaced H.264", { video: [...H264, "-flags", "+ildct+ilme"] }, "progressive"],
    ["4:2:2 chroma", { video: [...H264, "-pix_fmt", "yuv422p"] }, "4:2:0"],
    ["120 fps", { rate: 120, seconds: 3.1 }, "over 60 fps"],
    ["15 fps", { rate: 15 }, "under 23 fps"],
    ["2000 px wide", { size: "2000x200" }, "over 1920 px"],
    [
      "over 25 Mbps",
      {
        size: "1920x1080",
        seconds: 3.1,
        video: ["-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-g", "1"],
      },
      "over 25 Mbps",
    ],
    ["MP3 audio", { audio: ["-c:a", "libmp3lame"] }, "audio codec mp3 is not AAC"],
    ["96 kHz AAC", { audio: ["-c:a", "aac", "-ar", "96000"] }, "over 48 kHz"],
    ["5.1 AAC", { audio: ["-c:a", "aac", "-ac", "6"] }, "mono or stereo"],
    ["audio alone", { video: ["-vn"] }, "no video track"],
  ])("refuses %s with 2207026 naming the rule", async (name, options, rule) => {
    const result = await reel(name.replace(/\W+/g, "-"), options);
    expect(result.status_code).toBe("ERROR");
    expect(String(result.status)).toContain("2207026");
    expect(String(result.status)).toContain(rule);
  });
});
