/**
 * Reel transcode speed: a 30 s 4K HEVC 10-bit HLG clip (as an iPhone records it) made a Reel by
 * `prepareReel` from S3 to S3 (download, probe, transcode, check, cover, upload; fauxqs as S3), side
 * by side with one plain `ffmpeg` command line with the same settings on a local file. Figures:
 * media seconds per wall second (× real time), and CPU seconds (user + system, ffmpeg included) per
 * media second, which a busy machine disturbs less; the best of two alternating runs each. Needs
 * GNU time (/usr/bin/time).
 * Run alone: `node bench/video.ts`. The clip is made once (3 s encoded, then repeated by stream
 * copy) and kept in the temp folder.
 */
import { execFile } from "node:child_process";
import { createReadStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  DEFAULT_REEL_SETTINGS,
  ffmpegPath,
  planReel,
  prepareReel,
  probeReel,
  reelArgs,
} from "@photo-relay/video";
import { startFauxqs } from "fauxqs";
import type { BenchResult } from "./result.ts";

const SECONDS = 30;
const RUNS = 2;
const sh = promisify(execFile);
const ffmpeg = (args: string[]) =>
  sh(ffmpegPath(), ["-hide_banner", "-v", "error", "-nostdin", "-y", ...args]);

/** 30 s of 4K HEVC Main 10 HLG with AAC: 3 s encoded by x265, then concatenated ten times. */
async function iphoneClip(): Promise<string> {
  const dir = join(tmpdir(), "photo-relay-bench");
  const clip = join(dir, `hevc-4k-hlg-${SECONDS}s.mov`);
  if (existsSync(clip)) return clip;
  await mkdir(dir, { recursive: true });
  const piece = join(dir, "piece.mov");
  await ffmpeg([
    ...[
      "-f",
      "lavfi",
      "-i",
      "testsrc2=s=1920x1080:r=30:d=3",
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:sample_rate=48000:duration=3",
    ],
    ...[
      "-vf",
      "scale=3840:2160,format=yuv420p10le",
      "-c:v",
      "libx265",
      "-tag:v",
      "hvc1",
      "-preset",
      "ultrafast",
    ],
    ...["-x265-params", "log-level=error:colorprim=bt2020:transfer=arib-std-b67:colormatrix=bt2020nc"],
    ...[
      "-color_primaries",
      "bt2020",
      "-color_trc",
      "arib-std-b67",
      "-colorspace",
      "bt2020nc",
      "-c:a",
      "aac",
      "-movflags",
      "+write_colr",
    ],
    piece,
  ]);
  const list = join(dir, "pieces.txt");
  await writeFile(list, `file '${piece}'\n`.repeat(SECONDS / 3));
  await ffmpeg(["-f", "concat", "-safe", "0", "-i", list, "-c", "copy", "-movflags", "+write_colr", clip]);
  return clip;
}

interface Timing {
  wall: number;
  cpu: number;
}

/** Wall and CPU seconds (user + system, with children) of one command, from GNU time. */
async function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Timing> {
  const out = join(tmpdir(), `bench-video-time-${process.pid}.txt`);
  await sh("/usr/bin/time", ["-o", out, "-f", "%e %U %S", command, ...args], { env, maxBuffer: 1 << 24 });
  const [wall = 0, user = 0, system = 0] = (await readFile(out, "utf8")).trim().split(/\s+/).map(Number);
  await rm(out, { force: true });
  return { wall, cpu: user + system };
}

/** The product path, run in a child process (so GNU time counts it and its ffmpeg, not fauxqs). */
async function prepareFromEnv(): Promise<void> {
  const s3 = new S3Client({
    endpoint: process.env.BENCH_S3_ENDPOINT ?? "",
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  await prepareReel({
    s3,
    input: { bucket: "media", key: "originals/clip.mov" },
    output: { bucket: "media", videoKey: "renditions/clip/reel.mp4", coverKey: "renditions/clip/cover.jpg" },
    deadlineMs: 15 * 60_000,
    workDir: process.env.BENCH_WORKDIR ?? tmpdir(),
    tmpBudgetBytes: 2 * 1024 ** 3,
  });
  s3.destroy();
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function run(): Promise<BenchResult[]> {
  const clip = await iphoneClip();
  const work = await mkdtemp(join(tmpdir(), "bench-video-"));
  const server = await startFauxqs({ port: 0, logger: false });
  server.createBucket("media");
  const s3 = new S3Client({
    endpoint: server.address,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "bench", secretAccessKey: "bench" },
  });
  try {
    // Multipart, as the agent uploads.
    const params = { Bucket: "media", Key: "originals/clip.mov", Body: createReadStream(clip) };
    await new Upload({ client: s3, params, partSize: 8 * 1024 * 1024, queueSize: 4 }).done();
    const probe = await probeReel(clip);
    const plan = planReel(probe, DEFAULT_REEL_SETTINGS);
    const args = reelArgs(clip, join(work, "plain.mp4"), probe, plan, DEFAULT_REEL_SETTINGS);
    process.stdout.write(`reference: ffmpeg ${args.join(" ")}\n`);
    const env = { ...process.env, BENCH_S3_ENDPOINT: server.address, BENCH_WORKDIR: work };
    const ours: Timing[] = [];
    const plain: Timing[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternating, so that a neighbour's load falls on both sides alike.
      plain.push(await timed(ffmpegPath(), args));
      ours.push(await timed(process.execPath, [fileURLToPath(import.meta.url), "--prepare-reel"], env));
      const show = (t: Timing | undefined) => `${t?.wall.toFixed(1)} s wall, ${t?.cpu.toFixed(1)} s CPU`;
      process.stdout.write(`run ${i + 1}: prepareReel ${show(ours[i])}; plain ffmpeg ${show(plain[i])}\n`);
    }
    const best = (timings: Timing[], key: keyof Timing) => Math.min(...timings.map((t) => t[key]));
    const wallSpeed = (timings: Timing[]) => SECONDS / best(timings, "wall");
    const cpuPerSecond = (timings: Timing[]) => best(timings, "cpu") / SECONDS;
    const tool = "plain ffmpeg, same settings, local file";
    return [
      {
        name: "video: 30 s 4K HEVC HLG → Reel, S3 to S3 (wall clock)",
        unit: "× real time",
        value: round(wallSpeed(ours)),
        reference: { tool, value: round(wallSpeed(plain)) },
        ratio: Math.round((wallSpeed(ours) / wallSpeed(plain)) * 100) / 100,
        higherIsBetter: true,
      },
      {
        name: "video: 30 s 4K HEVC HLG → Reel, S3 to S3 (CPU per media second)",
        unit: "CPU s / s",
        value: round(cpuPerSecond(ours)),
        reference: { tool, value: round(cpuPerSecond(plain)) },
        ratio: Math.round((cpuPerSecond(ours) / cpuPerSecond(plain)) * 100) / 100,
        higherIsBetter: false,
      },
    ];
  } finally {
    s3.destroy();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv.includes("--prepare-reel")) await prepareFromEnv();
else if (import.meta.main) console.table(await run());
