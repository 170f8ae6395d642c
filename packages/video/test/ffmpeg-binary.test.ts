import { describe, expect, it } from "vitest";
import { checkFfmpeg, FfmpegError, ffmpegPath, REQUIRED_FFMPEG_FEATURES, runFfmpeg } from "../src/index.ts";

describe("video: the bundled ffmpeg", () => {
  it("is the @ffmpeg-installer build for this platform, with everything a Reel transcode needs", async () => {
    expect(ffmpegPath()).toContain(`@ffmpeg-installer/${process.platform}-${process.arch}`);
    const check = await checkFfmpeg();
    expect(check.version).toMatch(/^ffmpeg version/);
    expect(check.missing).toEqual([]);
    expect(REQUIRED_FFMPEG_FEATURES.filters).toEqual(expect.arrayContaining(["zscale", "tonemap"]));
  });

  it("reports a binary that is missing as a retryable FfmpegError", async () => {
    const error = await runFfmpeg(["-version"], { path: "/nonexistent/ffmpeg" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FfmpegError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining("could not start") });
  });

  it("lists what a build lacks", async () => {
    // `true` answers every question with nothing, like a build without any of the features.
    const check = await checkFfmpeg("/bin/true");
    expect(check.missing).toEqual(
      expect.arrayContaining(["encoders:libx264", "filters:zscale", "decoders:hevc"]),
    );
  });
});
