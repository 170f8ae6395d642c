/**
 * The soak's photos: made whole in one buffer of the size asked for, from a base per scene of
 * which only the latest few are kept (a full run's phones each have a scene of their own).
 */
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { BASES_KEPT, baseJpeg, basesKept, frameJpeg, nefWithPreview } from "../load/photos.ts";

describe("soak: photos", () => {
  it("keeps only the latest base JPEGs, and a scene made again has the same bytes", async () => {
    const first = await baseJpeg(1, 96);
    for (let scene = 2; scene < BASES_KEPT + 6; scene++) await baseJpeg(scene, 96);
    expect(basesKept()).toBe(BASES_KEPT);
    expect((await baseJpeg(1, 96)).equals(first)).toBe(true);
    expect(basesKept()).toBe(BASES_KEPT);
  });

  it("pads a frame to its size, named by its nonce, and it still decodes", async () => {
    const base = await baseJpeg(7, 320);
    const frame = frameJpeg(base, "seed/folder/CAM_0001.JPG", 300_000);
    expect(frame.length).toBe(300_000);
    expect(frame.subarray(0, 4).toString("hex")).toBe("ffd8fffe");
    expect(frame.includes("photo-relay soak seed/folder/CAM_0001.JPG")).toBe(true);
    expect(frame.subarray(-base.length + 2).equals(base.subarray(2))).toBe(true);
    const { width, height } = await sharp(frame).metadata();
    expect([width, height]).toEqual([320, 213]);
    const other = frameJpeg(base, "seed/folder/CAM_0002.JPG", 300_000);
    expect(other.equals(frame)).toBe(false);
  });

  it("carries the preview in a NEF of the size asked for", async () => {
    const preview = frameJpeg(await baseJpeg(8, 160), "n", 0);
    const nef = nefWithPreview(preview, 2_000_000);
    expect(nef.length).toBe(2_000_000);
    expect(nef.subarray(256, 256 + preview.length).equals(preview)).toBe(true);
  });
});
