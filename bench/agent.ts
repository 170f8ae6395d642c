/**
 * Edge agent: "file closed in the inbox → object verified in S3", for one 75 MB NEF and a burst of
 * 50 × 20 MB, against `aws s3 cp` (Debian awscli, /usr/bin/aws) and a plain lib-storage Upload
 * (8 MiB parts, queueSize 4, files one after another, then HeadObject). The agent runs as the real
 * CLI (`photo-relay agent --plain`) in its own process with its default settings and launch flags;
 * fauxqs runs in its own process. Also the agent's peak RSS (VmHWM) while delivering 10 × 75 MB (aim: < 200 MB),
 * and one 75 MB NEF through a shaped link (20 Mbit/s, 40 ms round trip) against `aws s3 cp`.
 * Unit: MB/s (10^6 bytes), higher is better. Run alone: `node bench/agent.ts`.
 */
import { execFile, spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import {
  DeleteObjectsCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { AGENT_NODE_FLAGS } from "../agent/src/cli/node-flags.ts";
import { jpeg, nef } from "../agent/test/helpers/media.ts";
import { startExternalFauxqs } from "../agent/test/helpers/processes.ts";
import { BUCKET, s3Client } from "../agent/test/helpers/s3.ts";
import { startShapedLink } from "./helpers/shaped-link.ts";
import type { BenchResult } from "./result.ts";

const MB = 1_000_000;
const AWS = "/usr/bin/aws";
const BIN = resolve(import.meta.dirname, "../agent/bin/photo-relay.ts");
const sh = promisify(execFile);

interface Batch {
  dir: string;
  files: string[];
  bytes: number;
}

/** Fresh random files for every run: the agent's keys are content hashes, so reused bytes would be skipped. */
async function makeBatch(root: string, count: number, size: number, kind: "nef" | "jpeg"): Promise<Batch> {
  const dir = await mkdtemp(join(root, "batch-"));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = kind === "nef" ? `DSC_${i}.NEF` : `DSC_${i}.JPG`;
    await writeFile(join(dir, name), kind === "nef" ? nef(size) : jpeg(size));
    files.push(name);
  }
  return { dir, files, bytes: count * size };
}

async function emptyBucket(client: S3Client): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key ?? "" }));
    if (!keys.length) return;
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: keys } }));
  }
}

/** The agent CLI in its own process; resolves seconds from the rename into the inbox to the last "✔". */
async function agentRun(
  root: string,
  endpoint: string,
  batch: Batch,
): Promise<{ seconds: number; peakRssMB: number }> {
  const ws = await mkdtemp(join(root, "agent-"));
  const inbox = join(ws, "inbox");
  await mkdir(inbox);
  const config = join(ws, "photo-relay.agent.json");
  await writeFile(
    config,
    JSON.stringify({
      inbox: ["./inbox"],
      spoolDir: "./spool",
      concurrency: Number(process.env.AGENT_BENCH_CONCURRENCY ?? 4),
      scanIntervalMs: 1000,
      s3: { bucket: BUCKET, endpoint, forcePathStyle: true, accessKeyId: "test", secretAccessKey: "test" },
    }),
  );
  // Launched as its executable and its service launch it (agent/src/cli/node-flags.ts).
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, BIN, "agent", "--plain", "--config", config], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  let delivered = 0;
  let onDone: () => void = () => undefined;
  const ready = new Promise<void>((ok) => {
    lines.on("line", (line) => {
      if (line.startsWith("agent ready")) ok();
      if (line.includes("✔") && ++delivered === batch.files.length) onDone();
    });
  });
  await ready;
  const done = new Promise<void>((ok) => {
    onDone = ok;
  });
  const start = performance.now();
  for (const name of batch.files) await rename(join(batch.dir, name), join(inbox, name)); // "file closed in the inbox"
  await done;
  const seconds = (performance.now() - start) / 1000;
  const status = await readFile(`/proc/${child.pid}/status`, "utf8");
  const peakRssMB = Number(status.match(/VmHWM:\s+(\d+) kB/)?.[1] ?? 0) / 1000;
  const exited = new Promise((ok) => child.once("exit", ok));
  child.kill("SIGTERM");
  await exited;
  await rm(ws, { recursive: true, force: true });
  return { seconds, peakRssMB };
}

async function awsRun(endpoint: string, batch: Batch, client: S3Client): Promise<number> {
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_DEFAULT_REGION: "us-east-1",
  };
  const start = performance.now();
  const [single] = batch.files;
  // One file is copied as such, a burst as the folder (the CLI then runs its transfers in parallel).
  const copy =
    batch.files.length === 1 && single
      ? [join(batch.dir, single), `s3://${BUCKET}/aws/${single}`]
      : [batch.dir, `s3://${BUCKET}/aws/`, "--recursive"];
  await sh(AWS, ["--endpoint-url", endpoint, "s3", "cp", ...copy, "--only-show-errors"], { env });
  await Promise.all(
    batch.files.map((name) => client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `aws/${name}` }))),
  );
  return (performance.now() - start) / 1000;
}

async function libStorageRun(batch: Batch, client: S3Client): Promise<number> {
  const start = performance.now();
  for (const name of batch.files) {
    const params = { Bucket: BUCKET, Key: `lib/${name}`, Body: createReadStream(join(batch.dir, name)) };
    await new Upload({ client, params, partSize: 8 * 1024 * 1024, queueSize: 4 }).done();
    await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `lib/${name}` }));
  }
  return (performance.now() - start) / 1000;
}

const RUNS_SINGLE = Number(process.env.AGENT_BENCH_RUNS ?? 3);
const RUNS_BURST = Number(process.env.AGENT_BENCH_BURST_RUNS ?? 1);
const RUNS_SHAPED = Number(process.env.AGENT_BENCH_SHAPED_RUNS ?? 1);
const SHAPED = { bitsPerSecond: 20_000_000, rttMs: 40 };
/** `AGENT_BENCH_ONLY=shaped`: only the shaped-link comparison (it takes a minute per run). */
const ONLY_SHAPED = process.env.AGENT_BENCH_ONLY === "shaped";

function median(values: number[] = []): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const rate = (bytes: number, seconds: number) => Math.round((bytes / MB / seconds) * 10) / 10;

function compare(name: string, ours: number, tool: string, theirs: number): BenchResult {
  return {
    name,
    unit: "MB/s",
    value: ours,
    reference: { tool, value: theirs },
    ratio: Math.round((ours / theirs) * 100) / 100,
    higherIsBetter: true,
  };
}

export async function run(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), "bench-agent-"));
  const s3 = await startExternalFauxqs();
  const client = s3Client(s3.endpoint);
  const results: BenchResult[] = [];
  try {
    const scenarios = ONLY_SHAPED
      ? []
      : ([
          ["1 × 75 MB NEF", 1, 75 * MB, "nef", RUNS_SINGLE],
          ["50 × 20 MB JPEG", 50, 20 * MB, "jpeg", RUNS_BURST],
        ] as const);
    for (const [label, count, size, kind, runs] of scenarios) {
      const measured: Record<string, number[]> = { agent: [], aws: [], lib: [] };
      // Interleaved runs, medians: this 2-core box is shared, single runs vary by ±30-50 %.
      for (let i = 0; i < runs; i++) {
        for (const tool of ["agent", "aws", "lib"] as const) {
          const batch = await makeBatch(root, count, size, kind);
          const seconds =
            tool === "agent"
              ? (await agentRun(root, s3.endpoint, batch)).seconds
              : tool === "aws"
                ? await awsRun(s3.endpoint, batch, client)
                : await libStorageRun(batch, client);
          measured[tool]?.push(rate(batch.bytes, seconds));
          await rm(batch.dir, { recursive: true, force: true });
          await emptyBucket(client);
        }
      }
      const agent = median(measured.agent);
      results.push(
        compare(
          `agent ${label}: closed → verified in S3`,
          agent,
          "aws s3 cp (awscli 2.9.19)",
          median(measured.aws),
        ),
      );
      results.push(
        compare(`agent ${label}: closed → verified in S3`, agent, "lib-storage Upload", median(measured.lib)),
      );
    }
    if (ONLY_SHAPED) {
      results.push(await shapedRun(root, s3.endpoint, client));
      return results;
    }
    const memoryBatch = await makeBatch(root, 10, 75 * MB, "nef");
    const { peakRssMB } = await agentRun(root, s3.endpoint, memoryBatch);
    results.push({
      name: "agent peak RSS delivering 10 × 75 MB",
      unit: "MB",
      value: Math.round(peakRssMB),
      reference: { tool: "aim", value: 200 },
      ratio: Math.round((peakRssMB / 200) * 100) / 100,
      higherIsBetter: false,
    });
    await emptyBucket(client);
    results.push(await shapedRun(root, s3.endpoint, client));
  } finally {
    client.destroy();
    await s3.stop();
    await rm(root, { recursive: true, force: true });
  }
  return results;
}

/** One 75 MB NEF through the shaped link: the agent against `aws s3 cp`, interleaved. */
async function shapedRun(root: string, endpoint: string, client: S3Client): Promise<BenchResult> {
  const url = new URL(endpoint);
  const link = await startShapedLink({ host: url.hostname, port: Number(url.port) }, SHAPED);
  const measured: Record<string, number[]> = { agent: [], aws: [] };
  try {
    for (let i = 0; i < RUNS_SHAPED; i++) {
      for (const tool of ["agent", "aws"] as const) {
        const batch = await makeBatch(root, 1, 75 * MB, "nef");
        const seconds =
          tool === "agent"
            ? (await agentRun(root, link.endpoint, batch)).seconds
            : await awsRun(link.endpoint, batch, client);
        measured[tool]?.push(rate(batch.bytes, seconds));
        await rm(batch.dir, { recursive: true, force: true });
        await emptyBucket(client);
      }
    }
  } finally {
    await link.close();
  }
  return compare(
    "agent 1 × 75 MB NEF via 20 Mbit/s, 40 ms RTT: closed → verified in S3",
    median(measured.agent),
    "aws s3 cp (awscli 2.9.19)",
    median(measured.aws),
  );
}

if (import.meta.main) console.table(await run());
