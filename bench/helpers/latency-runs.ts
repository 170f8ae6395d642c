/** The latency benchmark's runs (see bench/latency.ts, which sizes libuv's pool before loading this). */
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import { startLocalStack } from "@photo-relay/local-stack";
import type { BenchResult } from "../result.ts";
import { writeBurstPlot } from "./burst-plot.ts";
import { type Camera, startCamera } from "./camera.ts";
import { d800Photo } from "./d800-photo.ts";
import { at, hopTable, type Point, percentile, span } from "./latency-hops.ts";
import { type Marks, type Taps, tapStack } from "./stack-taps.ts";

const RUNS = Number(process.env.LATENCY_RUNS ?? 20);
const FRAMES = Number(process.env.LATENCY_BURST_FRAMES ?? 120);
const FPS = 4;
/** `LATENCY_TRACE=1`: every mark of every single run, in order (journey marks are read at the end, so not here). */
const TRACE = process.env.LATENCY_TRACE === "1";
/** `LATENCY_MARKS=<file>`: every photo's marks as JSON (`{ singles: {id: marks}, burst: … }`), to compare runs. */
const MARKS_FILE = process.env.LATENCY_MARKS;
const PLOT = join(import.meta.dirname, "..", "latency-burst.svg");
/** How long one photo may take before the run counts as failed (nothing is that slow when it works). */
const PHOTO_TIMEOUT_MS = 120_000;
const BURST_TIMEOUT_MS = 15 * 60_000;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Writes one frame into the inbox (from the camera's thread); resolves with its photo id once its close is marked. */
async function shoot(inbox: string, marks: Marks, camera: Camera, name: string): Promise<string> {
  const { id, close } = await camera.shoot(inbox, name);
  marks.add(id, "close", close);
  return id;
}

/** Resolves when the photo is delivered, mirrored and published, and its last publish step ran. */
async function settled(marks: Marks, id: string): Promise<void> {
  await Promise.all(
    ["delivered", "mirrored", "published", "sqs publish:permalink received"].map((w) => marks.when(id, w)),
  );
}

const definedOnly = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };

function result(name: string, seconds: number, tool: string, aim: number): BenchResult {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    name,
    unit: "s",
    value: round(seconds),
    reference: { tool, value: aim },
    ratio: Math.round((seconds / aim) * 100) / 100,
    higherIsBetter: false,
  };
}

async function singles(inbox: string, marks: Marks, camera: Camera): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const id = await shoot(inbox, marks, camera, `DSC_${String(i).padStart(4, "0")}.JPG`);
    await withTimeout(settled(marks, id), PHOTO_TIMEOUT_MS, `run ${i}`);
    if (i > 0) ids.push(id); // run 0 warms up: first-call costs are not what a running stack pays
    if (TRACE) {
      const close = at(marks, id, "close") ?? 0;
      const lines = marks.all(id).map((m) => `    ${(m.at - close).toFixed(0).padStart(6)} ms  ${m.what}`);
      process.stdout.write(`${lines.join("\n")}\n`);
    }
    const s = (point: Point) => (span(marks, id, "close", point) / 1000).toFixed(2);
    process.stdout.write(
      `  run ${i}${i ? "" : " (warm-up)"}: S3 ${s("delivered")} s, web ${s("mirrored")} s, Instagram ${s("published")} s (load ${load()})\n`,
    );
  }
  return ids;
}

async function burst(inbox: string, marks: Marks, camera: Camera): Promise<string[]> {
  const start = performance.now();
  const frames = Array.from({ length: FRAMES }, async (_, i) => {
    const due = start + (i * 1000) / FPS;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    return shoot(inbox, marks, camera, `BURST_${String(i).padStart(4, "0")}.JPG`);
  });
  return Promise.all(frames);
}

async function saveMarks(part: "singles" | "burst", marks: Marks, ids: string[]): Promise<void> {
  if (!MARKS_FILE) return;
  const saved = existsSync(MARKS_FILE) ? JSON.parse(await readFile(MARKS_FILE, "utf8")) : {};
  saved[part] = Object.fromEntries(ids.map((id) => [id, marks.all(id)]));
  await writeFile(MARKS_FILE, JSON.stringify(saved));
}

/** The 20 single photos: (a), (b), (c) against their aims, and where their time goes. */
async function singleFigures(taps: Taps, inbox: string, camera: Camera): Promise<BenchResult[]> {
  const { marks } = taps;
  const ids = await singles(inbox, marks, camera);
  await Promise.all(ids.map((id) => taps.readJourney(id)));
  process.stdout.write(`\nwhere the time goes (${ids.length} runs):\n${hopTable(marks, ids)}\n\n`);
  await saveMarks("singles", marks, ids);
  const since = (point: Point) => ids.map((id) => span(marks, id, "close", point) / 1000);
  // The sandbox's own record of each container: created at, ready at (its `processingMs`).
  const processing = percentile(
    ids.map((id) => span(marks, id, "containerCreated", "containerReady") / 1000),
    50,
  );
  const toolC = `aim: the sandbox's container processing (${processing.toFixed(1)} s) + 1 s`;
  const figures: Array<[string, number[], number, string]> = [
    ["(a) closed → verified in S3", since("delivered"), 0.5, "aim (issue 13)"],
    ["(b) closed → web rendition served", since("mirrored"), 1.5, "aim (issue 13)"],
    ["(c) closed → published in the sandbox", since("published"), processing + 1, toolC],
  ];
  return figures.flatMap(([label, values, aim, tool]) =>
    [50, 95].map((p) =>
      result(
        `latency 36 MP ${label}, p${p} of ${values.length}`,
        percentile(values, p),
        p === 50 ? tool : `${tool}, for the p50`,
        aim,
      ),
    ),
  );
}

/** The burst: drained within its aim, the timeline plot, and where its time goes. */
async function burstFigures(taps: Taps, inbox: string, camera: Camera): Promise<BenchResult[]> {
  const { marks } = taps;
  process.stdout.write(`burst: ${FRAMES} frames at ${FPS} fps (load ${load()})\n`);
  const cpu = { thread: process.threadCpuUsage(), process: process.cpuUsage() };
  const frames = await burst(inbox, marks, camera);
  const lastClose = Math.max(...frames.map((id) => at(marks, id, "close") ?? 0));
  const mirrored = await withTimeout(
    Promise.all(frames.map((id) => marks.when(id, "mirrored"))),
    BURST_TIMEOUT_MS,
    "every burst frame mirrored",
  );
  const drained = (Math.max(...mirrored) - lastClose) / 1000;
  // CPU seconds, less bent by other load than the wall clock: the main thread's (the API, the
  // consumers, SQS, the agent) and the whole process's (with the S3 thread and libvips's pool).
  const seconds = (u: NodeJS.CpuUsage) => ((u.user + u.system) / 1e6).toFixed(1);
  const used = `CPU: main thread ${seconds(process.threadCpuUsage(cpu.thread))} s, process ${seconds(process.cpuUsage(cpu.process))} s`;
  process.stdout.write(
    `  every frame mirrored ${drained.toFixed(1)} s after the last close (load ${load()}; ${used})\n`,
  );
  await withTimeout(
    Promise.all(frames.map((id) => settled(marks, id))),
    BURST_TIMEOUT_MS,
    "every burst frame published",
  );
  await Promise.all(frames.map((id) => taps.readJourney(id)));
  await saveMarks("burst", marks, frames);
  const published = (Math.max(...frames.map((id) => at(marks, id, "published") ?? 0)) - lastClose) / 1000;
  process.stdout.write(`  every frame published ${published.toFixed(1)} s after the last close\n`);
  process.stdout.write(`\nwhere the time goes in the burst:\n${hopTable(marks, frames)}\n`);
  const times = (id: string) =>
    definedOnly({
      closed: at(marks, id, "close"),
      "in S3": at(marks, id, "delivered"),
      converted: at(marks, id, "convertDone"),
      mirrored: at(marks, id, "mirrored"),
      published: at(marks, id, "published"),
    });
  await writeBurstPlot(
    PLOT,
    frames.map((id, frame) => ({ frame, times: times(id) })),
    `${FRAMES} × 36 MP at ${FPS} fps on the local stack: all mirrored ${drained.toFixed(1)} s after the last close (load ${load()})`,
  );
  process.stdout.write(`  timeline: ${PLOT}\n`);
  const name = `latency burst ${FRAMES} × 36 MP at ${FPS} fps: last close → all mirrored`;
  return [result(name, drained, "aim (issue 13)", 30)];
}

export async function runLatency(): Promise<BenchResult[]> {
  const photo = await d800Photo();
  const root = await mkdtemp(join(tmpdir(), "photo-relay-latency-"));
  const inbox = join(root, "inbox");
  // `LATENCY_BUNDLES=1`: each function from its bundle in a worker, as a Lambda container (the e2e test's way).
  const bundles =
    process.env.LATENCY_BUNDLES === "1"
      ? await (await import("../../scripts/function-build.ts")).freshBundles([
          "api",
          "convert",
          "mirror",
          "publish",
          "reel",
          "deadLetter",
        ])
      : undefined;
  const stack = await startLocalStack({
    ...(bundles && { bundles }),
    dataDir: join(root, ".data"),
    inbox,
    processedDir: join(root, "processed"),
    graphQuotaTotal: 1000,
    graphCallsPerHour: 100_000,
    logger: createLogger("latency-bench", { level: "ERROR" }),
    env: {},
  });
  const taps = tapStack(stack);
  const camera = startCamera(photo);
  stack.agent?.on("delivered", (e) => taps.marks.add(e.sha256, "delivered"));
  try {
    const how = bundles
      ? "functions from their bundles, each in a worker"
      : "functions in process, as npm start";
    process.stdout.write(`photo: ${(photo.length / 1e6).toFixed(1)} MB, 7360×4912; ${how}; load ${load()}\n`);
    const results = RUNS > 0 ? await singleFigures(taps, inbox, camera) : [];
    if (FRAMES > 0) results.push(...(await burstFigures(taps, inbox, camera)));
    return results;
  } finally {
    await camera.stop();
    taps.stop();
    await stack.stop();
    await rm(root, { recursive: true, force: true });
  }
}
