/**
 * Conversion speed and memory: a generated 7360x4912 (Nikon D800-size) JPEG to the three renditions,
 * side by side with vipsthumbnail (Debian libvips-tools) making the same three files and with
 * ImageMagick's convert; the same JPEG inside a NEF-like TIFF/EP file; the frame analysis (pHash and
 * scores, on the pixels convert decoded) as a share of the whole convert; a D800-size NEF with no
 * usable preview, developed by LibRaw's WebAssembly build, beside native LibRaw (dcraw_emu); peak
 * memory; and the Lambda cost per 1,000 photos at the convert function's configured memory.
 * Run alone: `node bench/imaging.ts`. Needs vipsthumbnail, /usr/bin/convert, dcraw_emu
 * (Debian libraw-bin) and GNU time.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { analyseFrame, convertPhoto, DEFAULT_RENDITION_OPTIONS } from "@photo-relay/imaging";
import { STAGE_SETTINGS } from "@photo-relay/pipeline/settings";
import sharp from "sharp";
import { cfaDng } from "../packages/imaging/test/fixtures/dng-cfa.ts";
import { rawFile } from "../packages/imaging/test/fixtures/raw-files.ts";
import type { BenchResult } from "./result.ts";

const WIDTH = 7360;
const HEIGHT = 4912;
const RUNS = 5;
/** AWS Lambda x86 price (us-east-1): per GB-second and per request. */
const LAMBDA_GB_SECOND_USD = 0.0000166667;
const LAMBDA_REQUEST_USD = 0.0000002;
const sh = promisify(execFile);

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function result(name: string, unit: string, value: number, tool: string, reference: number): BenchResult {
  return {
    name,
    unit,
    value: round(value),
    reference: { tool, value: round(reference) },
    ratio: round(value / reference, 2),
    higherIsBetter: false,
  };
}

/** A photo-like test image: smooth gradients with fine noise, so JPEG has real detail to code. */
async function d800Jpeg(): Promise<Buffer> {
  const px = Buffer.allocUnsafe(WIDTH * HEIGHT * 3);
  let seed = 12345;
  for (let y = 0, i = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++, i += 3) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const noise = (seed >>> 27) - 16;
      px[i] = Math.max(0, Math.min(255, ((x >> 4) & 0xff) + noise));
      px[i + 1] = Math.max(0, Math.min(255, ((y >> 4) & 0xff) + noise));
      px[i + 2] = Math.max(0, Math.min(255, 128 + Math.round(60 * Math.sin((x + y) / 300)) + noise));
    }
  }
  return sharp(px, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 92 })
    .toBuffer();
}

async function timeIt(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await fn(); // warm-up: first-call costs (library loading, caches) are not what a busy Lambda pays
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

/** Peak resident memory (MB) of a command, from GNU time. */
async function peakMb(command: string, args: string[]): Promise<number> {
  const { stderr } = await sh("/usr/bin/time", ["-f", "PEAK_KB=%M", command, ...args], {
    maxBuffer: 1 << 24,
  });
  return Number(/PEAK_KB=(\d+)/.exec(stderr)?.[1] ?? Number.NaN) / 1024;
}

function vipsthumbnailArgs(input: string, out: string): string[][] {
  const { instagramWidth, webLongEdge, thumbnailLongEdge, jpegQuality } = DEFAULT_RENDITION_OPTIONS;
  return [
    [input, "--size", `${instagramWidth}x`, "-o", join(out, `ig.jpg[Q=${jpegQuality},strip]`)],
    [
      input,
      "--size",
      `${webLongEdge}x${webLongEdge}`,
      "-o",
      join(out, `web.jpg[Q=${jpegQuality},interlace,strip]`),
    ],
    [input, "--size", `${thumbnailLongEdge}x${thumbnailLongEdge}`, "-o", join(out, "thumb.webp[Q=80,strip]")],
  ];
}

function magickArgs(input: string, out: string): string[] {
  const { instagramWidth, webLongEdge, thumbnailLongEdge, jpegQuality } = DEFAULT_RENDITION_OPTIONS;
  const q = String(jpegQuality);
  return [
    input,
    "-auto-orient",
    "-strip",
    "(",
    "+clone",
    "-resize",
    `${instagramWidth}x`,
    "-quality",
    q,
    "-write",
    join(out, "ig.jpg"),
    "+delete",
    ")",
    "(",
    "+clone",
    "-resize",
    `${webLongEdge}x${webLongEdge}`,
    "-interlace",
    "Plane",
    "-quality",
    q,
    "-write",
    join(out, "web.jpg"),
    "+delete",
    ")",
    "-resize",
    `${thumbnailLongEdge}x${thumbnailLongEdge}`,
    "-quality",
    "80",
    join(out, "thumb.webp"),
  ];
}

/** Our conversion in a fresh process, so its peak memory is ours alone. */
async function ourPeakMb(file: string): Promise<number> {
  const script = `import { readFileSync } from "node:fs"; import { analyseFrame, convertPhoto, DEFAULT_RENDITION_OPTIONS } from "@photo-relay/imaging";
await convertPhoto(readFileSync(${JSON.stringify(file)}), DEFAULT_RENDITION_OPTIONS);`;
  return peakMb(process.execPath, ["--input-type=module", "-e", script]);
}

async function version(command: string, args: string[]): Promise<string> {
  const { stdout } = await sh(command, args).catch(() => ({ stdout: "" }));
  return /\d+\.\d+(\.\d+)?/.exec(stdout)?.[0] ?? "?";
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "photo-relay-bench-imaging-"));
  try {
    const jpeg = await d800Jpeg();
    const input = join(dir, "d800.jpg");
    await writeFile(input, jpeg);
    const thumb = await sharp({ create: { width: 160, height: 120, channels: 3, background: "grey" } })
      .jpeg()
      .toBuffer();
    const nef = rawFile("nef", { preview: jpeg, thumbnail: thumb, orientation: 1 });
    await writeFile(join(dir, "d800.nef"), nef);
    const options = DEFAULT_RENDITION_OPTIONS;
    const vipsTool = `vipsthumbnail ${await version("vipsthumbnail", ["--vips-version"])} (3 runs)`;
    const magickTool = `ImageMagick convert ${await version("/usr/bin/convert", ["-version"])}`;

    const ours = await timeIt(() => convertPhoto(jpeg, options));
    const oursNef = await timeIt(() => convertPhoto(Buffer.from(nef), options));
    const vips = await timeIt(async () => {
      for (const args of vipsthumbnailArgs(input, dir)) await sh("vipsthumbnail", args);
    });
    const magick = await timeIt(() => sh("/usr/bin/convert", magickArgs(input, dir)), 2);

    // The analysis reads the pixels convert decodes for the renditions: the D800 at web size.
    const { data, info } = await sharp(jpeg)
      .resize({ width: options.webLongEdge })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const analysis = await timeIt(() => analyseFrame({ data, width: info.width, height: info.height }), 9);

    // A thumbnail-only NEF: LibRaw develops its sensor data (at half size: 3680 px still covers 2048).
    const sensorOnly = cfaDng({
      width: WIDTH,
      height: HEIGHT,
      thumbnail: await sharp(thumb).raw().toBuffer(),
      thumbnailSize: { width: 160, height: 120 },
      camera: { make: "NIKON CORPORATION", model: "NIKON D800" },
    });
    const sensorFile = join(dir, "d800-sensor.nef");
    await writeFile(sensorFile, sensorOnly);
    const developed = await timeIt(() => convertPhoto(sensorOnly, options), 2);
    const dcraw = await timeIt(
      () => sh("dcraw_emu", ["-h", "-w", "-T", "-Z", join(dir, "dcraw.tiff"), sensorFile]),
      2,
    );
    const dcrawTool = `dcraw_emu (native LibRaw ${await version("dpkg-query", ["-W", "libraw-bin"])}) -h -w -T, TIFF only`;

    const ourPeak = await ourPeakMb(input);
    const vipsPeaks = await Promise.all(
      vipsthumbnailArgs(input, dir).map((args) => peakMb("vipsthumbnail", args)),
    );
    const memoryMb = STAGE_SETTINGS.convert.memoryMb;
    // In US cents, so the table's two decimals still show the difference. Lambda at 2048 MB gets about
    // 1.2 vCPU, this machine's cores may differ: the figure is an estimate from the measured time.
    const cost = (seconds: number) =>
      100 * 1000 * (seconds * (memoryMb / 1024) * LAMBDA_GB_SECOND_USD + LAMBDA_REQUEST_USD);
    await readFile(join(dir, "web.jpg")); // the references really wrote their outputs

    return [
      result("imaging: D800 JPEG → 3 renditions", "s", ours, vipsTool, vips),
      result("imaging: D800 JPEG → 3 renditions", "s", ours, magickTool, magick),
      result(
        "imaging: D800 NEF-like (JpgFromRaw) → 3 renditions",
        "s",
        oursNef,
        `${vipsTool} on the bare JPEG`,
        vips,
      ),
      result(
        "imaging: frame analysis (pHash, sharpness, motion, exposure) per D800 photo",
        "s",
        analysis,
        "the whole D800 JPEG convert (share of it)",
        ours,
      ),
      result(
        "imaging: D800-size NEF, no usable preview, LibRaw WebAssembly → 3 renditions",
        "s",
        developed,
        dcrawTool,
        dcraw,
      ),
      result(
        "imaging: peak memory, D800 JPEG → 3 renditions",
        "MB",
        ourPeak,
        `${vipsTool}, largest run`,
        Math.max(...vipsPeaks),
      ),
      result(
        `imaging: Lambda cost per 1,000 photos at ${memoryMb} MB`,
        "US cents",
        cost(ours),
        `${vipsTool} timing`,
        cost(vips),
      ),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) console.table(await run());
