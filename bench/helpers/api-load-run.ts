/** The api-load benchmark's run (see bench/api-load.ts, which sizes libuv's pool before loading this). */
import { type ChildProcess, fork } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createLogger } from "@photo-relay/core";
import { type LocalStack, startLocalStack } from "@photo-relay/local-stack";
import type { BenchResult } from "../result.ts";
import type { ClientPlan, Samples } from "./api-load-clients.ts";
import type { Hammered } from "./api-load-hammer.ts";
import { d800Photo } from "./d800-photo.ts";
import { percentile } from "./latency-hops.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PHONES = env("API_LOAD_PHONES", 10);
const FILES = env("API_LOAD_FILES", 2);
const FRAMES = env("API_LOAD_FRAMES", 40);
const IDLE_SECONDS = env("API_LOAD_IDLE_SECONDS", 20);
const HAMMER_RPS = env("API_LOAD_HAMMER_RPS", 200);
const DRAIN_TIMEOUT_MS = 15 * 60_000;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const round = (n: number) => Math.round(n * 10) / 10;

type Reply =
  | { type: "sent"; phoneIds: string[]; frames: number }
  | { type: "samples"; samples: Samples }
  | { type: "hammered"; hammered: Hammered }
  | { type: "error"; message: string };

function reply<T extends Reply["type"]>(child: ChildProcess, type: T): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const on = (message: Reply) => {
      if (message.type === "error") reject(new Error(`api-load clients: ${message.message}`));
      else if (message.type === type) resolve(message as Extract<Reply, { type: T }>);
      else return;
      child.off("message", on);
    };
    child.on("message", on);
  });
}

/** The event loop's delay on the stack's thread over one phase (ms). */
function loopDelay() {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return () => {
    h.disable();
    return { p50: h.percentile(50) / 1e6, p95: h.percentile(95) / 1e6, max: h.max / 1e6 };
  };
}

async function drained(stack: LocalStack): Promise<void> {
  const until = Date.now() + DRAIN_TIMEOUT_MS;
  while (Date.now() < until) {
    const counts = await stack.publishRuntime.photos.countByStatus();
    if (counts.processing === 0) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error("the pipeline did not drain in time");
}

function describe(label: string, samples: Samples, delay: ReturnType<ReturnType<typeof loopDelay>>) {
  for (const [path, { ms, failures, maxBytes }] of Object.entries(samples.routes)) {
    process.stdout.write(
      `  ${label} ${path}: n=${ms.length}, p50 ${round(percentile(ms, 50))} ms, p95 ${round(percentile(ms, 95))} ms, max ${round(Math.max(...ms))} ms, body up to ${round(maxBytes / 1024)} kB, not 200: ${failures.length}${failures.length ? ` (${[...new Set(failures)].join("; ")})` : ""}\n`,
    );
  }
  process.stdout.write(
    `  ${label} event loop delay: p50 ${round(delay.p50)} ms, p95 ${round(delay.p95)} ms, max ${round(delay.max)} ms (load ${load()})\n`,
  );
}

export async function runApiLoad(): Promise<BenchResult[]> {
  await d800Photo(); // made once and cached before the clients read it
  const root = await mkdtemp(join(tmpdir(), "photo-relay-api-load-"));
  const inbox = join(root, "inbox");
  const stack = await startLocalStack({
    dataDir: join(root, ".data"),
    inbox,
    processedDir: join(root, "processed"),
    graphQuotaTotal: 1000,
    graphCallsPerHour: 100_000,
    logger: createLogger("api-load-bench", { level: "ERROR" }),
    env: {},
    // As `npm start` runs it; `API_LOAD_API_THREAD=0` serves the API from the main thread.
    apiThread: process.env.API_LOAD_API_THREAD !== "0",
  });
  let delivered = 0;
  stack.agent?.on("delivered", () => delivered++);
  const child = fork(join(import.meta.dirname, "api-load-clients.ts"), { stdio: "inherit" });
  const attacker =
    HAMMER_RPS > 0 ? fork(join(import.meta.dirname, "api-load-hammer.ts"), { stdio: "inherit" }) : undefined;
  try {
    const api = { url: stack.urls.api, token: stack.apiToken };
    process.stdout.write(
      `${PHONES} phones × ${FILES} files of 20 MB, a ${FRAMES}-frame burst, a client hammering at ${HAMMER_RPS}/s (load ${load()})\n`,
    );
    const loadPlan: ClientPlan = {
      phase: "load",
      api,
      inbox,
      phones: PHONES,
      filesPerPhone: FILES,
      frames: FRAMES,
    };
    const loaded = loopDelay();
    const started = performance.now();
    child.send(loadPlan);
    attacker?.send({ api, perSecond: HAMMER_RPS });
    const sent = await reply(child, "sent");
    while (delivered < sent.frames) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - started) / 1000;
    const samplesOfLoad = reply(child, "samples");
    const hammeredThen = attacker ? reply(attacker, "hammered") : Promise.resolve(undefined);
    child.send({ stop: true });
    attacker?.send({ stop: true });
    const busy = (await samplesOfLoad).samples;
    const hammer = (await hammeredThen)?.hammered ?? { statuses: {}, ms: [] };
    const busyDelay = loaded();
    process.stdout.write(
      `  under load for ${seconds.toFixed(1)} s: ${busy.phones.ids.length} phone uploads (${busy.phones.errors.length} failed${busy.phones.errors.length ? `: ${busy.phones.errors.join("; ")}` : ""}), ${delivered} frames delivered by the agent\n`,
    );
    const hammered = hammer.ms.length;
    process.stdout.write(
      `  hammering client: ${hammered} requests (${round(hammered / seconds)}/s), statuses ${JSON.stringify(hammer.statuses)}, p95 ${round(percentile(hammer.ms, 95))} ms\n`,
    );
    describe("load", busy, busyDelay);

    await drained(stack);
    const quiet = loopDelay();
    const samplesOfIdle = reply(child, "samples");
    child.send({ phase: "idle", api, seconds: IDLE_SECONDS } satisfies ClientPlan);
    const idle = (await samplesOfIdle).samples;
    describe("idle", idle, quiet());
    return ["/status", "/photos"].map((path) => {
      const under = percentile(busy.routes[path]?.ms ?? [], 95);
      const calm = percentile(idle.routes[path]?.ms ?? [], 95);
      return {
        name: `api-load GET ${path} p95 under load (${PHONES} phones × 20 MB, ${FRAMES}-frame burst, a hammering client)`,
        unit: "ms",
        value: round(under),
        reference: {
          tool: `the same route on the idle stack (aim: under 200 ms, issue 14)`,
          value: round(calm),
        },
        ratio: Math.round((under / calm) * 100) / 100,
        higherIsBetter: false,
      };
    });
  } finally {
    child.kill();
    attacker?.kill();
    await stack.stop();
    await rm(root, { recursive: true, force: true });
  }
}
