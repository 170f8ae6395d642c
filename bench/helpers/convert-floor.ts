/**
 * The burst's CPU floor: 120 × 36 MP frames through convertPhoto alone (no queues, no S3, no
 * mirror), `CONVERT_FLOOR_CONCURRENCY` at once, with libvips's thread pool at `CONVERT_FLOOR_THREADS`.
 * Run: node bench/helpers/convert-floor.ts
 */
import { cpus } from "node:os";
import { convertPhoto, DEFAULT_RENDITION_OPTIONS } from "@photo-relay/imaging";
import sharp from "sharp";
import { d800Photo, variant } from "./d800-photo.ts";

const frames = Number(process.env.CONVERT_FLOOR_FRAMES ?? 120);
const concurrency = Number(process.env.CONVERT_FLOOR_CONCURRENCY ?? 2);
const threads = Number(process.env.CONVERT_FLOOR_THREADS ?? cpus().length);
sharp.concurrency(threads);
const photo = await d800Photo();
const inputs = Array.from({ length: frames }, (_, i) => variant(photo, `floor-${i}`));
let next = 0;
const started = performance.now();
const perFrame: number[] = [];
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < inputs.length) {
      const input = inputs[next++] as Buffer;
      const t = performance.now();
      await convertPhoto(input, DEFAULT_RENDITION_OPTIONS);
      perFrame.push(performance.now() - t);
    }
  }),
);
const wall = (performance.now() - started) / 1000;
perFrame.sort((a, b) => a - b);
const p50 = perFrame[Math.floor(perFrame.length / 2)] ?? 0;
process.stdout.write(
  `${frames} frames, ${concurrency} at once, ${threads} libvips threads: ${wall.toFixed(1)} s ` +
    `(${((wall * 1000) / frames).toFixed(0)} ms a frame; one convert p50 ${p50.toFixed(0)} ms)\n`,
);
