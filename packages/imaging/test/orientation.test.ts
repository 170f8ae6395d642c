import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "../src/index.ts";
import { applyOrientation } from "../src/orientation.ts";
import { orientedJpeg, pictureDistance, quadrants } from "./fixtures/images.ts";

describe("imaging: EXIF orientation", () => {
  it("turns all eight orientations upright in every rendition", async () => {
    const upright = await quadrants(160, 120).png().toBuffer();
    for (let n = 1; n <= 8; n++) {
      const result = await convertPhoto(await orientedJpeg(n), DEFAULT_RENDITION_OPTIONS);
      if (result.kind !== "image") throw new Error("expected an image");
      expect(result.metadata).toMatchObject({ orientation: n, width: 160, height: 120 });
      for (const [name, rendition] of Object.entries(result.renditions)) {
        expect(rendition.width / rendition.height, `${n} ${name}`).toBeCloseTo(4 / 3, 1);
        expect(await pictureDistance(rendition.data, upright), `orientation ${n}, ${name}`).toBeLessThan(8);
      }
    }
  });

  it("tells a wrong orientation apart (the comparison is not blind)", async () => {
    const upright = await quadrants(160, 120).png().toBuffer();
    const mirrored = await quadrants(160, 120).flop().png().toBuffer();
    expect(await pictureDistance(mirrored, upright)).toBeGreaterThan(40);
  });

  it("applies an orientation given from outside exactly as sharp's EXIF auto-orientation does", async () => {
    const plain = await quadrants(30, 20).png().toBuffer();
    for (let n = 1; n <= 8; n++) {
      const tagged = await sharp(plain).withMetadata({ orientation: n }).png().toBuffer();
      const expected = await sharp(tagged).autoOrient().raw().toBuffer({ resolveWithObject: true });
      const actual = await applyOrientation(sharp(plain), n).raw().toBuffer({ resolveWithObject: true });
      expect(actual.info.width, `orientation ${n}`).toBe(expected.info.width);
      expect(actual.data.equals(expected.data), `orientation ${n}`).toBe(true);
    }
  });
});
