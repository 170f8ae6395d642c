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
import { dropFiles, launchChromium, newContext } from "../test/support/browser.ts";
import { cameraJpeg } from "../test/support/photos.ts";
import { recordS3Requests } from "../test/support/s3-requests.ts";
import { testStack } from "../test/support/stack.ts";
import { waitFor } from "../test/support/wait.ts";
import type { BenchResult } from "./result.ts";

const MB = 1_000_000;
const SIZE = 60 * MB;
const RUNS = Number(process.env.WEB_BENCH_RUNS ?? 3);
const PHOTOS = 10_000;
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

async function uploads(stack: Stack, browser: Browser, dir: string): Promise<BenchResult[]> {
  const s3 = recordS3Requests(stack.fauxqs.port);
  const page: number[] = [];
  const transfer: number[] = [];
  const aws: number[] = [];
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_DEFAULT_REGION: "us-east-1",
  };
  try {
    for (let i = 0; i < RUNS; i++) {
      // Fresh bytes every run: content-derived keys would make a repeat "already there".
      const head = await cameraJpeg({ width: 320, height: 240, seed: 3000 + i });
      const file = join(dir, `BENCH_${i}.JPG`);
      writeFileSync(file, Buffer.concat([head, randomBytes(SIZE - head.length)]));

      const tab = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
      await tab.goto(`${stack.urls.api}/app/upload`);
      await tab.waitForSelector(".uppy-Dashboard-AddFiles");
      const from = s3.requests.length;
      const started = performance.now();
      await dropFiles(tab, ".uppy-Dashboard-AddFiles", [file]);
      const complete = await waitFor(
        () => s3.requests.slice(from).find((r) => r.method === "POST" && r.uploadId && r.status === 200),
        "the completion",
        { timeoutMs: 120_000, intervalMs: 10 },
      );
      page.push(SIZE / MB / ((complete.at - started) / 1000));
      const first = s3.requests.slice(from).find((r) => r.partNumber === 1);
      if (first) transfer.push(SIZE / MB / ((complete.at - first.startedAt) / 1000));
      await tab.context().close();

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
      aws.push(SIZE / MB / ((performance.now() - t) / 1000));
    }
  } finally {
    s3.stop();
  }
  const reference = median(aws);
  return [
    result(
      "web 60 MB upload page (Uppy multipart, hash included)",
      "MB/s",
      median(page),
      "aws s3 cp (awscli 2.9.19)",
      reference,
      true,
    ),
    result(
      "web 60 MB upload transfer (Uppy multipart, first part → complete)",
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
  const p95 = async (path: string) => {
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      const res = await fetch(`${stack.urls.api}${path}`, {
        headers: { authorization: `Bearer ${stack.apiToken}` },
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path} answered ${res.status}`);
      times.push(performance.now() - t);
    }
    return [...times].sort((a, b) => a - b)[94] ?? 0;
  };
  const reference = await p95("/photos?limit=60");
  return [
    result(
      `web GET /dashboard/photos p95, ${PHOTOS} photos`,
      "ms",
      await p95("/dashboard/photos?limit=60"),
      "GET /photos?limit=60 (full records)",
      reference,
      false,
    ),
    result(
      `web GET /dashboard/photos?state=failed p95, ${PHOTOS} photos`,
      "ms",
      await p95("/dashboard/photos?limit=60&state=failed"),
      "GET /photos?limit=60 (full records)",
      reference,
      false,
    ),
    result(
      `web GET /dashboard/photos?q=… p95 (name search), ${PHOTOS} photos`,
      "ms",
      await p95("/dashboard/photos?limit=60&q=dsc_099"),
      "GET /photos?limit=60 (full records)",
      reference,
      false,
    ),
  ];
}

if (import.meta.main) console.table(await run());
