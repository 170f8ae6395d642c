/**
 * One soak run: the stack, the web hosts and the agent as their own processes, the scripted event
 * with its faults, the drain, then every promise checked from outside and the report written.
 * `bin/soak.ts` runs it from the command line, `test/soak.test.ts` as a small seeded run.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync } from "node:fs";
import { copyFile, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { SQSClient } from "@aws-sdk/client-sqs";
import { boundNativeHeap, startHeapTrim } from "@photo-relay/local-stack/native-heap";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { freshBundles } from "../scripts/function-build.ts";
import { type CheckResult, runChecks } from "./checks/run-checks.ts";
import { checkSecrets } from "./checks/secrets.ts";
import { drain } from "./drain.ts";
import { type EventOutcome, playEvent } from "./event-runner.ts";
import { eventScript } from "./event-script.ts";
import { startMirrorHosts } from "./faults/mirror-hosts.ts";
import { spoolDisk } from "./faults/spool-disk.ts";
import { startTcpProxy } from "./faults/tcp-proxy.ts";
import { agentProcess } from "./load/agent-process.ts";
import { startApiProbe, startIntruder } from "./load/api-probe.ts";
import { startDevices } from "./load/devices.ts";
import type { PhotoSizes } from "./load/photos.ts";
import { type SoakReport, writeReport } from "./report/write-report.ts";
import { startMonitor } from "./sample/monitor.ts";
import { startStackProcess } from "./stack/stack-process.ts";
import { stopAll } from "./stop-all.ts";

export interface SoakOptions {
  photos: number;
  minutes: number;
  seed: number;
  sizes: PhotoSizes;
  /** Where `index.html` and `soak.json` go. */
  reportDir: string;
  /** A PNG of the report (Chromium), when set. */
  screenshot?: string;
  /** How long the queues may take to drain after the event (default: 3 min, or half the event). */
  drainTimeoutMs?: number;
  /**
   * Keep the work folder (capture folders, card, archive, the stack's S3 and records: 15 GB or
   * more for a full run) instead of removing it once its logs are copied to `reportDir/logs/`.
   */
  keepWork?: boolean;
  log?: (line: string) => void;
}

export interface SoakResult {
  report: SoakReport;
  checks: CheckResult[];
  passed: boolean;
}

/**
 * A short run keeps Lambda's semantics with shorter clocks: a crashed batch comes back after the
 * visibility timeout (90–180 s by default, longer than the whole run), and the mirror dead-letters
 * after 4 receives instead of 8, so both hosts down reaches the DLQ within the short outage.
 */
const SHORT_RUN_QUEUES = {
  convert: { visibilityTimeoutSeconds: 30, timeoutSeconds: 20 },
  // The mirror starts a record only with its transports' timeouts left (2 × 10 s + 10 s here).
  mirror: { visibilityTimeoutSeconds: 65, timeoutSeconds: 60, maxReceives: 4 },
  publish: { visibilityTimeoutSeconds: 40, timeoutSeconds: 20 },
};

/** How long each part gets to stop (the agent finishes its journal writes) before it is killed. */
const STOP_GRACE_MS = 20_000;

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  // The soak process moves 20-75 MB buffers too (the checks read originals and renditions; the
  // devices process, which makes the shots, does the same for itself): the stack's bounds on glibc's
  // heap keep them from piling up in arenas (native-heap.ts, imported alone: the package's index
  // would load the emulators into this process).
  await boundNativeHeap();
  const stopTrim = await startHeapTrim();
  try {
    return await soak(options, log);
  } finally {
    stopTrim();
  }
}

async function soak(options: SoakOptions, log: (line: string) => void): Promise<SoakResult> {
  const work = mkdtempSync(join(tmpdir(), "photo-relay-soak-"));
  const dirs = Object.fromEntries(
    ["tethered", "folder", "card", "processed", "agent", "logs"].map((d) => [d, join(work, d)]),
  ) as Record<string, string>;
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const script = eventScript(options);
  log(
    `soak: ${script.shots.length} photos over ${options.minutes} min, ${script.faults.length} faults, seed ${options.seed}; work in ${work}`,
  );

  const bundles = await freshBundles(["api", "convert", "mirror", "publish", "reel", "deadLetter"]);
  const hosts = await startMirrorHosts();
  const graphToken = `IGAA-soak-${randomBytes(12).toString("hex")}`;
  const apiToken = randomBytes(24).toString("base64url");
  const stack = await startStackProcess(
    {
      dataDir: join(work, ".data"),
      inbox: false,
      bundles,
      apiToken,
      graphTokens: [{ token: graphToken, kind: "ig_long" }],
      graphProcessingMs: 300,
      // Instagram's limits sized to the event, so that every publishable photo can be posted
      // within the run and the checks can ask for all of them (issue 14): the publishing quota,
      // and the containers (Meta's 400 a day bound the full run: 176 photos waited 900 s per look,
      // past the drain). Each post takes a container; the faults waste more (a renewed token's
      // photos start over, redelivered `create` steps each make one, the first recorded wins).
      graphQuotaTotal: options.photos * 2,
      graphContainerLimit: options.photos * 4,
      ...(options.minutes < 10 && { queueOverrides: SHORT_RUN_QUEUES }),
      settings: {
        mirror: { targets: hosts.targets },
        instagram: { accessToken: graphToken, checkDelaysSeconds: [1] },
        redelivery: { baseSeconds: 1, maxSeconds: 4 },
        bursts: { settleSeconds: 3 },
      },
    },
    join(dirs.logs as string, "stack.log"),
  );
  const s3Proxy = await startTcpProxy(stack.awsPort);
  const spool = spoolDisk(
    join(work, "spool"),
    Math.max(256, Math.ceil((options.sizes.jpegBytes * 300) / 2 ** 20)),
  );
  const places = {
    dir: dirs.agent as string,
    inboxes: [dirs.tethered, dirs.folder] as [string, string],
    card: dirs.card as string,
    spoolDir: spool.dir,
    processedDir: dirs.processed as string,
  };
  const agent = agentProcess(places, `http://127.0.0.1:${s3Proxy.port}`, stack.bucket);
  const api = { url: stack.urls.api, token: stack.apiToken };
  const devices = startDevices({
    folders: { card: places.card, folder: places.inboxes[1] },
    phoneApi: api,
    sizes: options.sizes,
    seed: options.seed,
  });
  // Killed from outside (a test's timeout), the soak still ends what it started: the agent's own
  // process group, the cameras and phones, the web hosts' daemons, the spool's mount.
  const leftovers = () => {
    agent.kill();
    devices.kill();
    hosts.kill();
    spool.unmount();
  };
  process.once("exit", leftovers);
  await agent.start();
  const monitor = startMonitor(
    () => ({ stack: stack.pid, agent: agent.pid, devices: devices.pid, soak: process.pid }),
    api,
  );
  const probe = startApiProbe(api);
  const intruder = startIntruder(api.url);
  const sqs = new SQSClient({
    region: "us-east-1",
    endpoint: stack.urls.aws,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });

  const logFiles = [
    join(dirs.logs as string, "stack.log"),
    join(dirs.agent as string, "logs", "agent.log"),
    join(dirs.agent as string, "agent-stdout.log"),
  ];
  const startedAt = Date.now();
  let outcome: EventOutcome | undefined;
  let checks: CheckResult[] = [];
  let stopped: CheckResult | undefined;
  let records: Map<string, PhotoRecord | undefined> = new Map();
  const issuedTokens: string[] = [];
  const secrets = () => [apiToken, graphToken, ...issuedTokens, ...hosts.secrets];
  try {
    outcome = await playEvent(
      script,
      {
        stack,
        agent,
        s3Proxy,
        mirrorHosts: hosts,
        spool,
        sqs,
        graphToken,
        issuedTokens,
        savedVisibility: {},
      },
      devices,
    );
    log(
      `soak: event played (${outcome.taken.length} photos taken, ${outcome.shotErrors.length} shot errors); draining`,
    );
    const drained = await drain(
      api,
      outcome.taken.map((p) => p.id),
      places.inboxes,
      options.drainTimeoutMs ?? Math.max(180_000, options.minutes * 30_000),
      (message) => outcome?.notes.push({ t: Date.now(), message }),
    );
    log(
      `soak: drain ${drained.settled ? "settled" : "timed out"} after ${Math.round(drained.waitedMs / 1000)} s`,
    );
    await Promise.all([probe.stop(), intruder.stop()]);
    ({ results: checks, records } = await runChecks({
      api,
      stack,
      hosts,
      places,
      outcome,
      drained,
      samples: monitor.samples,
      trendMatters: options.minutes >= 10,
      probe: probe.result,
      intruder: intruder.result,
      secrets: secrets(),
      logFiles,
      answers: [...monitor.answers, ...probe.result.answers],
    }));
  } finally {
    await Promise.all([probe.stop(), intruder.stop(), monitor.stop()]);
    sqs.destroy();
    stopped = await stopAll(
      [
        { name: "agent", stop: () => agent.stop(), kill: () => agent.kill() },
        { name: "cameras and phones", stop: () => devices.stop(), kill: () => devices.kill() },
        { name: "stack", stop: () => stack.stop(), kill: () => stack.kill() },
        { name: "S3 proxy", stop: () => s3Proxy.close() },
        { name: "web host (vsftpd, sshd, proxies)", stop: () => hosts.stop(), kill: () => hosts.kill() },
        { name: "spool disk", stop: async () => spool.unmount() },
      ],
      STOP_GRACE_MS,
    );
    process.off("exit", leftovers);
    await putAwayWork(work, logFiles, options, log);
  }
  checks.push(stopped);
  const reportInput = {
    options: { photos: options.photos, minutes: options.minutes, seed: options.seed, sizes: options.sizes },
    startedAt,
    endedAt: Date.now(),
    spool: spool.kind,
    agentStarts: agent.starts,
    outcome: outcome as EventOutcome,
    samples: monitor.samples,
    probe: probe.result,
    intruder: intruder.result,
    checks,
    records,
  };
  await writeReport(options.reportDir, reportInput);
  // The report itself is grepped too, then written again with that verdict.
  const reportFiles = ["soak.json", "index.html"].map((f) => join(options.reportDir, f));
  const leaks = checkSecrets(secrets(), reportFiles, []);
  leaks.name = "no secret in the report";
  checks.push(leaks);
  const report = await writeReport(options.reportDir, reportInput, options.screenshot);
  return { report, checks, passed: checks.every((c) => c.ok) };
}

/**
 * Once everything has stopped: the logs go next to the report (`reportDir/logs/`) and the work
 * folder is removed, unless asked to keep it — each run leaves 8–17 GB there, and a few runs fill
 * a disk (one did, mid-run, with ENOSPC). A folder that cannot go (the spool's mount still busy)
 * is named, not fatal.
 */
async function putAwayWork(
  work: string,
  logFiles: string[],
  options: SoakOptions,
  log: (line: string) => void,
): Promise<void> {
  const logsDir = join(options.reportDir, "logs");
  await mkdir(logsDir, { recursive: true });
  // A log its process never got to write is simply not there.
  for (const file of logFiles) await copyFile(file, join(logsDir, basename(file))).catch(() => undefined);
  if (options.keepWork) return log(`soak: work kept in ${work}`);
  await rm(work, { recursive: true, force: true, maxRetries: 3 }).catch((error: Error) =>
    log(`soak: could not remove ${work}: ${error.message}`),
  );
}
