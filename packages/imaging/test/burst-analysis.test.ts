import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import sharp, { type Sharp } from "sharp";
import sharpPhash from "sharp-phash";
import { describe, expect, it } from "vitest";
import {
  analyseFrame,
  convertPhoto,
  DEFAULT_RENDITION_OPTIONS,
  type FrameAnalysis,
  hashDistance,
  SAME_SCENE_MAX_DISTANCE,
} from "../src/index.ts";
import { drawnScene, type Frame, photoScene, shootBurst } from "./fixtures/bursts.ts";

const phash = sharpPhash as unknown as typeof sharpPhash.default;
const DRAWN_SCENES = 20;
const [WIDTH, HEIGHT] = [900, 600];
/**
 * Real photos of the corpus that are big enough to be a scene (MEDIA_CORPUS, when set); the HEIC
 * and AVIF are left out only because decoding them takes seconds, which corpus.test.ts already spends.
 */
const CORPUS_SCENES = [
  "orientation/Landscape_1.jpg",
  "orientation/Portrait_1.jpg",
  "gps/nikon-coolpix-p6000_gps.jpg",
  "formats/webp_lossy_google-gallery-4.webp",
  "formats/png_rgba_blackbug.png",
  "raw/canon-eos-6d_acr-reduced.dng",
];

/** The frame decoded as convertPhoto decodes a photo this size (whole, upright, sRGB), then analysed. */
async function analyse(frame: Frame): Promise<FrameAnalysis> {
  const { data, info } = await sharp(frame.jpeg)
    .autoOrient()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return analyseFrame({ data, width: info.width, height: info.height });
}

const quantiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, min: at(0), p05: at(0.05), median: at(0.5), p95: at(0.95), max: at(1) };
};

describe("imaging: the frame analysis behind best of the burst", () => {
  it("gives the sharp frame the best score in ≥ 95 % of bursts; scenes hash apart, frames together", async () => {
    const scenes = [];
    for (let i = 0; i < DRAWN_SCENES; i++)
      scenes.push({ name: `drawn ${i}`, scene: await drawnScene(1000 + i, WIDTH, HEIGHT) });
    const corpus = process.env.MEDIA_CORPUS;
    for (const file of corpus ? CORPUS_SCENES : []) {
      const path = join(corpus ?? "", file);
      if (!existsSync(path)) throw new Error(`MEDIA_CORPUS is set but ${path} is missing`);
      // Through our own decoder (HEIC, DNG), then shot as a burst like the drawn scenes.
      const decoded = await convertPhoto(readFileSync(path), DEFAULT_RENDITION_OPTIONS);
      if (decoded.kind !== "image") throw new Error(`${file} is not an image`);
      scenes.push({ name: file, scene: await photoScene(decoded.renditions.web.data, WIDTH) });
    }
    const misses: string[] = [];
    const intra: number[] = [];
    const leaders: string[] = [];
    for (const [i, { name, scene }] of scenes.entries()) {
      const frames = await shootBurst(scene, 5000 + i);
      const analyses = await Promise.all(frames.map(analyse));
      const best = analyses.reduce((b, a, k) => (a.score > (analyses[b]?.score ?? -1) ? k : b), 0);
      if (best !== 0) misses.push(`${name}: picked "${frames[best]?.label}" over "${frames[0]?.label}"`);
      const sharpHash = analyses[0]?.hash ?? "";
      leaders.push(sharpHash);
      for (const a of analyses.slice(1)) intra.push(hashDistance(sharpHash, a.hash));
    }
    const inter: number[] = [];
    for (let a = 0; a < leaders.length; a++)
      for (let b = a + 1; b < leaders.length; b++)
        inter.push(hashDistance(leaders[a] ?? "", leaders[b] ?? ""));
    const merged = inter.filter((d) => d <= SAME_SCENE_MAX_DISTANCE).length / inter.length;
    const split = intra.filter((d) => d > SAME_SCENE_MAX_DISTANCE).length / intra.length;
    console.info(
      JSON.stringify({
        bursts: scenes.length,
        picked: scenes.length - misses.length,
        misses,
        sameScene: quantiles(intra),
        distinctScenes: quantiles(inter),
        threshold: SAME_SCENE_MAX_DISTANCE,
        mergedShare: merged,
        splitShare: split,
      }),
    );
    expect((scenes.length - misses.length) / scenes.length, misses.join("\n")).toBeGreaterThanOrEqual(0.95);
    expect(merged).toBeLessThanOrEqual(0.01);
    expect(split).toBeLessThanOrEqual(0.01);
  }, 180_000);

  it("is what convertPhoto returns, from the pixels it decoded for the renditions", async () => {
    const [frame] = await shootBurst(await drawnScene(3, WIDTH, HEIGHT), 3);
    if (!frame) throw new Error("no frame");
    const converted = await convertPhoto(frame.jpeg, DEFAULT_RENDITION_OPTIONS);
    if (converted.kind !== "image") throw new Error("expected an image");
    expect(converted.analysis).toEqual(await analyse(frame));
  });

  it("hashes with sharp-phash's pHash, of the pixels convert decoded, close to its hash of the file", async () => {
    const toHex = (bits: string) =>
      Array.from({ length: 16 }, (_, i) =>
        Number.parseInt(bits.slice(i * 4, i * 4 + 4), 2).toString(16),
      ).join("");
    for (const seed of [7, 8, 9]) {
      const scene = await drawnScene(seed, 800, 600);
      const { data, info } = await scene.clone().raw().toBuffer({ resolveWithObject: true });
      const analysis = await analyseFrame({ data, width: info.width, height: info.height });
      // Exactly sharp-phash's value for the 32×32 reduction it starts from…
      const reduced = await scene.clone().resize(32, 32, { fit: "fill" }).png().toBuffer();
      expect(analysis).toMatchObject({ hash: toHex(await phash(reduced)), hashMethod: "phash-dct64" });
      // …and within a few bits of its value for the whole file (it takes the greyscale first).
      const png = await scene.clone().png().toBuffer();
      expect(hashDistance(analysis.hash, toHex(await phash(png)))).toBeLessThanOrEqual(4);
      const converted = await convertPhoto(png, DEFAULT_RENDITION_OPTIONS);
      if (converted.kind !== "image") throw new Error("expected an image");
      expect(converted.analysis.hash).toBe(analysis.hash); // what the convert stage stores
    }
  });

  it("measures Hamming distances between hashes", () => {
    expect(hashDistance("0000000000000000", "0000000000000000")).toBe(0);
    expect(hashDistance("0000000000000000", "ffffffffffffffff")).toBe(64);
    expect(hashDistance("8000000000000001", "0000000000000000")).toBe(2);
    expect(hashDistance("f0f0f0f0f0f0f0f0", "0f0f0f0f0f0f0f0f")).toBe(64);
    expect(() => hashDistance("00", "000")).toThrow(RangeError);
  });

  it("measures blur independently of exposure, and clipping as exposure", async () => {
    const scene = await drawnScene(11, 1000, 700);
    const pixels = async (img: Sharp) => {
      const { data, info } = await img.raw().toBuffer({ resolveWithObject: true });
      return analyseFrame({ data, width: info.width, height: info.height });
    };
    const base = await pixels(scene.clone().extract({ left: 8, top: 8, width: 1000, height: 700 }));
    const darker = await pixels(
      scene.clone().extract({ left: 8, top: 8, width: 1000, height: 700 }).linear(0.7, 0),
    );
    const soft = await pixels(scene.clone().extract({ left: 8, top: 8, width: 1000, height: 700 }).blur(1.5));
    expect(Math.abs(darker.sharpness.normalised / base.sharpness.normalised - 1)).toBeLessThan(0.1);
    expect(soft.sharpness.normalised).toBeLessThan(base.sharpness.normalised / 2);
    // About +2 EV: a tenth of the frame clips, and the colours that clip first lose their detail.
    const blown = await pixels(
      scene.clone().extract({ left: 8, top: 8, width: 1000, height: 700 }).linear(2, 0),
    );
    expect(blown.exposure.highlightsClipped).toBeGreaterThan(0.1);
    expect(blown.exposure.score).toBeLessThan(base.exposure.score);
    expect(blown.score).toBeLessThan(base.score);
  });

  it("finds the direction of a motion smear", async () => {
    const scene = await drawnScene(13, 1000, 700);
    const smear = async (kernel: { width: number; height: number; kernel: number[] }) => {
      const { data, info } = await scene
        .clone()
        .convolve({ ...kernel, scale: 11 })
        .raw()
        .toBuffer({ resolveWithObject: true });
      return analyseFrame({ data, width: info.width, height: info.height });
    };
    const line = (along: "row" | "column") =>
      Array.from({ length: 121 }, (_, i) => ((along === "row" ? Math.floor(i / 11) : i % 11) === 5 ? 1 : 0));
    const horizontal = await smear({ width: 11, height: 11, kernel: line("row") });
    const vertical = await smear({ width: 11, height: 11, kernel: line("column") });
    const { data, info } = await scene.clone().raw().toBuffer({ resolveWithObject: true });
    const still = await analyseFrame({ data, width: info.width, height: info.height });
    expect(horizontal.motion.coherence).toBeGreaterThan(still.motion.coherence + 0.2);
    expect(vertical.motion.coherence).toBeGreaterThan(still.motion.coherence + 0.2);
    expect(
      Math.min(horizontal.motion.directionDegrees, 180 - horizontal.motion.directionDegrees),
    ).toBeLessThan(15);
    expect(Math.abs(vertical.motion.directionDegrees - 90)).toBeLessThan(15);
    expect(horizontal.score).toBeLessThan(still.score);
  });
});
