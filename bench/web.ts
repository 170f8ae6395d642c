/**
 * The browser side, on the local stack (one process: emulators, API, pipeline) with Chromium:
 * - 60 MB through the upload page (Uppy multipart, 8 MiB parts, signed by the API) against
 *   `aws s3 cp` (Debian awscli, as bench/agent.ts runs it) to the same S3 endpoint; MB/s, runs
 *   interleaved, medians. "page" counts from the drop to the last part stored (hashing included),
 *   "transfer" from the first part's request to the completion;
 * - the dashboard's first render with 10,000 photos in the table: Chromium's script time
 *   (CDP `Performance.getMetrics` ScriptDuration) until the first cards show, against the issue's
 *   budget of 1 s;
 * - the API's p95 for a page of the photo list at 10,000 photos (`GET /dashboard/photos`, plain and
 *   filtered), against the pipeline's own `GET /photos` page of full records.
 * Run alone: `node bench/web.ts`.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { newPhoto, type PhotoRecord } from "@photo-relay/pipeline/photo";
import { launchChromium, newContext, stageFiles } from "../test/support/browser.ts";
import { cameraJpeg } from "../test/support/photos.ts";
import { recordHttpRequests, recordS3Requests } from "../test/support/s3-requests.ts";
import { testStack } from "../test/support/stack.ts";
import { waitFor } from "../test/support/wait.ts";
import type { BenchResult } from "./result.ts";

const MB = 1_000_000;
/** `WEB_BENCH_MB` sets another size (the figure is for 60 MB). */
const SIZE = Number(process.env.WEB_BENCH_MB ?? 60) * MB;
const RUNS = Number(process.env.WEB_BENCH_RUNS ?? 3);
const PHOTOS = 10_000;
/** `WEB_BENCH_ONLY=upload` runs the upload comparison alone (no 10,000-photo seed). */
const ONLY = process.env.WEB_BENCH_ONLY ?? "";
const sh = promisify(execFile);

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function result(
  name: string,
  unit: string,
  value: number,
  tool: string,
  reference: number,
  higherIsBetter: boolean,
): BenchResult {
  return {
    name,
    unit,
    value: round(value),
    reference: { tool, value: round(reference) },
    ratio: round(value / reference, 2),
    higherIsBetter,
  };
}

export async function run(): Promise<BenchResult[]> {
  const stack = await testStack({ publishMode: "manual" });
  const browser = await launchChromium();
  const dir = mkdtempSync(join(tmpdir(), "bench-web-"));
  try {
    const results = await uploads(stack, browser, dir);
    if (ONLY === "upload") return results;
    await seed(stack);
    results.push(await firstRender(stack, browser), ...(await listLatency(stack)));
    return results;
  } finally {
    await browser.close();
    await stack.stop();
  }
}

type Stack = Awaited<ReturnType<typeof testStack>>;
type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** Milliseconds from the drop to each step of one upload, to see where the page loses time. */
interface Phases {
  /** The file's hash is done: the page asks for a ticket. */
  session: number;
  /** The API has answered it. */
  ticket: number;
  /** The multipart upload is created in S3. */
  create: number;
  /** The page asks S3 which parts it holds (a fresh upload: none). */
  list: number;
  firstPart: number;
  complete: number;
  /** Signing requests to the API during the upload. */
  signs: number;
}

async function uploads(stack: Stack, browser: Browser, dir: string): Promise<BenchResult[]> {
  const s3 = recordS3Requests(stack.fauxqs.port);
  const api = recordHttpRequests(Number(new URL(stack.urls.api).port));
  const phases: Phases[] = [];
  const page: number[] = [];
  const transfer: number[] = [];
  const aws: number[] = [];
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_DEFAULT_REGION: "us-east-1",
  };
  const viaPage = async (i: number, file: string) => {
    const tab = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
    await tab.goto(`${stack.urls.api}/app/upload`);
    await tab.waitForSelector(".uppy-Dashboard-AddFiles");
    // The file is chosen before the clock starts: Playwright's file transfer is no part of the page.
    const drop = await stageFiles(tab, [file]);
    const from = s3.requests.length;
    const fromApi = api.requests.length;
    const started = performance.now();
    await drop(".uppy-Dashboard-AddFiles");
    const complete = await waitFor(
      () => s3.requests.slice(from).find((r) => r.method === "POST" && r.uploadId && r.status === 200),
      "the completion",
      { timeoutMs: 120_000, intervalMs: 10 },
    );
    page[i] = SIZE / MB / ((complete.at - started) / 1000);
    const sent = s3.requests.slice(from);
    const first = sent.filter((r) => r.partNumber).sort((a, b) => a.startedAt - b.startedAt)[0];
    if (first) transfer[i] = SIZE / MB / ((complete.at - first.startedAt) / 1000);
    const asked = api.requests.slice(fromApi);
    const since = (at: number | undefined) => Math.round((at ?? Number.NaN) - started);
    const session = asked.find((r) => r.path === "/upload-sessions");
    phases[i] = {
      session: since(session?.startedAt),
      ticket: since(session?.at),
      create: since(sent.find((r) => r.method === "POST" && r.uploadId === undefined && r.key)?.at),
      list: since(sent.find((r) => r.method === "GET" && r.uploadId)?.startedAt),
      firstPart: since(first?.startedAt),
      complete: since(complete.at),
      signs: asked.filter((r) => r.path.startsWith("/upload-sessions/sign")).length,
    };
    await tab.context().close();
  };
  const viaCli = async (i: number, file: string) => {
    const t = performance.now();
    await sh(
      "/usr/bin/aws",
      [
        "--endpoint-url",
        stack.urls.aws,
        "s3",
        "cp",
        file,
        `s3://${stack.config.s3.bucket}/bench/aws-${i}.bin`,
        "--only-show-errors",
      ],
      { env },
    );
    aws[i] = SIZE / MB / ((performance.now() - t) / 1000);
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      // Fresh bytes every run: content-derived keys would make a repeat "already there".
      const head = await cameraJpeg({ width: 320, height: 240, seed: 3000 + i });
      const file = join(dir, `BENCH_${i}.JPG`);
      writeFileSync(file, Buffer.concat([head, randomBytes(SIZE - head.length)]));
      // Each side goes first every other run: neither always meets the caches (or the load) first.
      if (i % 2 === 0) {
        await viaPage(i, file);
        await viaCli(i, file);
      } else {
        await viaCli(i, file);
        await viaPage(i, file);
      }
    }
  } finally {
    s3.stop();
    api.stop();
  }
  console.table(
    phases.map((p, i) => ({
      ...p,
      page: `${round(page[i] ?? 0)} MB/s`,
      aws: `${round(aws[i] ?? 0)} MB/s`,
      ratio: round((page[i] ?? 0) / (aws[i] ?? 1), 2),
    })),
  );
  const reference = median(aws);
  console.log(
    `median from the hash to the first part in S3: ${median(phases.map((p) => p.firstPart - p.session))} ms;`,
    `median of the runs' own page/CLI ratios: ${round(median(page.map((p, i) => p / (aws[i] ?? 1))), 2)}`,
  );
  return [
    result(
      `web ${SIZE / MB} MB upload page (Uppy multipart, hash included)`,
      "MB/s",
      median(page),
      "aws s3 cp (awscli 2.9.19)",
      reference,
      true,
    ),
    result(
      `web ${SIZE / MB} MB upload transfer (Uppy multipart, first part → complete)`,
      "MB/s",
      median(transfer),
      "aws s3 cp (awscli 2.9.19)",
      reference,
      true,
    ),
  ];
}

/** 10,000 photo records in every state, as the pipeline writes them (no renditions: no S3 reads). */
async function seed(stack: Stack): Promise<void> {
  const start = Date.now() - PHOTOS * 1000;
  const statuses = ["done", "done", "done", "awaiting_approval", "failed", "processing"] as const;
  for (let i = 0; i < PHOTOS; i += 25) {
    const items = Array.from({ length: Math.min(25, PHOTOS - i) }, (_, j) => {
      const n = i + j;
      const at = new Date(start + n * 1000).toISOString();
      const photo: PhotoRecord = newPhoto(
        {
          id: n.toString(16).padStart(64, "0"),
          originalKey: `originals/${n}.jpg`,
          bytes: 20 * MB,
          originalName: `DSC_${String(n).padStart(5, "0")}.JPG`,
          source: n % 3 ? "agent" : "phone",
        },
        new Date(at),
      );
      const status = statuses[n % statuses.length] ?? "done";
      photo.status = status;
      // Every seventh photo changed again lately (a retry, a late publish): last change ≠ arrival.
      if (n % 7 === 0) photo.updatedAt = new Date(Date.now() - (PHOTOS - n)).toISOString();
      photo.journey = [
        { at, stage: "convert", status: "running" },
        { at, stage: "convert", status: status === "failed" ? "failed" : "done" },
      ];
      return photo;
    });
    await stack.runtime.clients.dynamo.send(
      new BatchWriteCommand({
        RequestItems: { [stack.config.dynamodb.table]: items.map((Item) => ({ PutRequest: { Item } })) },
      }),
    );
  }
  // Written past the photo store, so past the counts item too: counted once, as an older table is.
  await stack.publishRuntime.photos.counts.recount();
}

async function firstRender(stack: Stack, browser: Browser): Promise<BenchResult> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const tab = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
    const cdp = await tab.context().newCDPSession(tab);
    await cdp.send("Performance.enable");
    await tab.goto(`${stack.urls.api}/app/dashboard`);
    await tab.waitForSelector(".grid .card", { timeout: 60_000 });
    const { metrics } = await cdp.send("Performance.getMetrics");
    times.push((metrics.find((m) => m.name === "ScriptDuration")?.value ?? 0) * 1000);
    await tab.context().close();
  }
  return result(
    `web dashboard first render, ${PHOTOS} photos (Chromium script time)`,
    "ms",
    median(times),
    "budget (issue #10)",
    1000,
    false,
  );
}

async function listLatency(stack: Stack): Promise<BenchResult[]> {
  const p95 = async (path: string, runs = 100) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const res = await fetch(`${stack.urls.api}${path}`, {
        headers: { authorization: `Bearer ${stack.apiToken}` },
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      times.push(performance.now() - t);
    }
    return [...times].sort((a, b) => a - b)[Math.ceil(runs * 0.95) - 1] ?? 0;
  };
  await reportOrder(stack);
  const reference = await p95("/photos?limit=60");
  // Ten minutes of arrivals in the middle of the seeded range.
  const start = Date.now() - PHOTOS * 1000;
  const from = new Date(start + (PHOTOS / 2) * 1000).toISOString();
  const to = new Date(start + (PHOTOS / 2 + 600) * 1000).toISOString();
  const list = (name: string, query: string) =>
    p95(`/dashboard/photos?limit=60${query}`).then((ms) =>
      result(
        `web GET /dashboard/photos${name} p95, ${PHOTOS} photos`,
        "ms",
        ms,
        "GET /photos?limit=60 (full records)",
        reference,
        false,
      ),
    );
  return [
    await list("", ""),
    await list("?state=failed", "&state=failed"),
    await list("?q=… (name search)", "&q=dsc_099"),
    await list("?from=…&to=… (10 min of arrivals)", `&from=${from}&to=${to}`),
    await counts(stack),
  ];
}

/** What the health header and `/status` pay for the counts per state (the API recomputes them every 10 s). */
async function counts(stack: Stack): Promise<BenchResult> {
  const time = async (fn: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return median(times);
  };
  const photos = stack.publishRuntime.photos;
  const someId = (0).toString(16).padStart(64, "0");
  return result(
    `web photo counts per state, ${PHOTOS} photos (median)`,
    "ms",
    await time(() => photos.countByStatus()),
    "one consistent GetItem of a photo",
    await time(() => photos.get(someId)),
    false,
  );
}

/** Whether the grid's first page is the newest arrivals, newest first (printed, not a figure). */
async function reportOrder(stack: Stack): Promise<void> {
  const res = await fetch(`${stack.urls.api}/dashboard/photos?limit=60`, {
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  const { photos } = (await res.json()) as { photos: Array<{ createdAt: string }> };
  const arrivals = photos.map((p) => p.createdAt);
  const sorted = arrivals.every((at, i) => i === 0 || at <= (arrivals[i - 1] as string));
  console.log(
    `grid's first page: ${sorted ? "newest arrival first" : "NOT in arrival order"}; arrivals ${arrivals[0]} … ${arrivals.at(-1)}`,
  );
}

if (import.meta.main) console.table(await run());
