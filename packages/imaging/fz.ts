import { convertPhoto, DEFAULT_RENDITION_OPTIONS, ImagingError } from "./src/index.ts";
import { seeded } from "./test/fixtures/broken.ts";
import { HEIC_QUADRANTS } from "./test/fixtures/heic-quadrants.ts";
import { quadrants } from "./test/fixtures/images.ts";
import { mp4 } from "./test/fixtures/mp4-writer.ts";
import { rawFile } from "./test/fixtures/raw-files.ts";
const random = seeded(Number(process.argv[2] ?? 1));
const jpeg = await quadrants(64, 48).withExif({ IFD0: { Make: "Test" } }).jpeg().toBuffer();
const originals: [string, Buffer][] = [
  ["jpeg", jpeg], ["png", await quadrants(64, 48).png().toBuffer()], ["gif", await quadrants(64, 48).gif().toBuffer()],
  ["avif", await quadrants(64, 48).avif({effort:0}).toBuffer()], ["heic", HEIC_QUADRANTS],
  ...(["nef","cr2","arw","dng","orf"] as const).map((l): [string, Buffer] => [l, rawFile(l, { preview: jpeg, thumbnail: jpeg })]),
  ["mp4", mp4()], ["mov", mp4({ brand: "qt  ", faststart: false, codec: "hvc1" })],
];
const counts: Record<string, number> = {};
for (const [name, original] of originals) {
  for (let i = 0; i < 200; i++) {
    const damaged = Buffer.from(original);
    const flips = 1 + Math.floor(random() * 8);
    for (let f = 0; f < flips; f++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
    const input = random() < 0.3 ? damaged.subarray(0, Math.floor(random() * damaged.length)) : damaged;
    const t0 = performance.now();
    try { await convertPhoto(input, DEFAULT_RENDITION_OPTIONS); counts.ok = (counts.ok ?? 0) + 1; }
    catch (e) {
      if (!(e instanceof ImagingError)) console.log(name, i, "NON-IMAGING", e);
      else counts[e.code] = (counts[e.code] ?? 0) + 1;
    }
    const ms = performance.now() - t0; if (ms > 1000) console.log(name, i, "slow", ms);
  }
}
console.log(counts, process.memoryUsage().rss / 1e6);
