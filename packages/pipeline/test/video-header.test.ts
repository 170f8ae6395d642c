/**
 * convert: a video is probed from its file's header boxes, never read into memory. The answer is
 * the one imaging's probe gives for the whole file, whatever the box order.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probeVideo } from "@photo-relay/imaging";
import { describe, expect, it } from "vitest";
import { mp4 } from "../../imaging/test/fixtures/mp4-writer.ts";
import { probeVideoFile } from "../src/stages/convert/video-header.ts";

const dir = mkdtempSync(join(tmpdir(), "video-header-"));
const onDisk = (name: string, data: Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
};

describe("convert: video header probe", () => {
  it.each([true, false])("answers as the whole-file probe does (moov first: %s)", async (faststart) => {
    const data = mp4({ seconds: 12, fps: 30, width: 1080, height: 1920, faststart });
    const probe = await probeVideoFile(onDisk(`v-${faststart}.mp4`, data), "mp4");
    expect(probe).toEqual(probeVideo(data, "mp4"));
    expect(probe).toMatchObject({ sizeBytes: data.length, faststart, durationSeconds: 12 });
  });

  it("calls a file cut short before its index truncated, and one without boxes corrupt", async () => {
    const whole = mp4({ seconds: 5, faststart: false });
    const cut = whole.subarray(0, whole.length - 200);
    await expect(probeVideoFile(onDisk("cut.mp4", cut), "mp4")).rejects.toMatchObject({ code: "truncated" });
    await expect(probeVideoFile(onDisk("junk.mp4", Buffer.alloc(64)), "mp4")).rejects.toMatchObject({
      code: "corrupt_image",
    });
  });
});
