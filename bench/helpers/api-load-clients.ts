/**
 * The api-load benchmark's clients, in a process of their own (forked by api-load-run.ts) so that
 * their work never runs on the stack's event loop: what they measure is what a phone or a
 * dashboard over the network would see. On `{ phase: "idle" }` they only sample; on
 * `{ phase: "load" }` ten phones upload and a camera writes a burst into the agent's inbox while
 * the samplers run, until `{ stop: true }`. The hammering client has a process of its own
 * (api-load-hammer.ts), as an attacker has a machine of its own.
 */
import { join } from "node:path";
import { d800Photo, tetherWrite } from "./d800-photo.ts";
import { padded } from "./padded-photo.ts";
import { type ApiTarget, phoneUpload } from "./phone-upload.ts";

export interface ClientPlan {
  phase: "idle" | "load";
  api: ApiTarget;
  /** Idle: how long to sample. */
  seconds?: number;
  inbox?: string;
  phones?: number;
  filesPerPhone?: number;
  fileBytes?: number;
  frames?: number;
}

export interface Samples {
  /** Each route's answer times in ms, any answer that was not 200, and the largest body (bytes). */
  routes: Record<string, { ms: number[]; failures: string[]; maxBytes: number }>;
  phones: { ids: string[]; seconds: number[]; errors: string[] };
  burst: string[];
}

const SAMPLED = ["/status", "/photos"];
const PAUSE_MS = 100;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A fetch error with what undici says beneath "fetch failed". */
const describe = (error: unknown): string => {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return e.cause ? `${e.message} (${e.cause.code ?? ""} ${e.cause.message ?? ""})` : e.message;
};

function sampler(api: ApiTarget, path: string, stopped: () => boolean, into: Samples["routes"][string]) {
  return (async () => {
    while (!stopped()) {
      const start = performance.now();
      try {
        const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
        into.maxBytes = Math.max(into.maxBytes, (await res.arrayBuffer()).byteLength);
        if (res.status !== 200) into.failures.push(`${res.status}`);
      } catch (error) {
        into.failures.push(describe(error));
      }
      into.ms.push(performance.now() - start);
      await sleep(PAUSE_MS);
    }
  })();
}

async function phones(plan: ClientPlan, photo: Buffer, into: Samples["phones"]): Promise<void> {
  const count = plan.phones ?? 10;
  await Promise.all(
    Array.from({ length: count }, async (_, p) => {
      for (let f = 0; f < (plan.filesPerPhone ?? 2); f++) {
        const name = `PHONE${p}_${f}.JPG`;
        const data = padded(photo, `${name} ${Date.now()}`, plan.fileBytes ?? 20 * 1024 * 1024);
        const start = performance.now();
        try {
          into.ids.push(await phoneUpload(plan.api, data, name));
          into.seconds.push((performance.now() - start) / 1000);
        } catch (error) {
          into.errors.push(`${name}: ${describe(error)}`);
        }
      }
    }),
  );
}

async function burst(plan: ClientPlan, photo: Buffer, into: string[]): Promise<void> {
  const start = performance.now();
  await Promise.all(
    Array.from({ length: plan.frames ?? 40 }, async (_, i) => {
      await sleep(Math.max(0, start + i * 250 - performance.now()));
      const name = `BURST_${String(i).padStart(4, "0")}.JPG`;
      const data = padded(photo, `${name} ${Date.now()}`, photo.length + 1024);
      await tetherWrite(join(plan.inbox as string, name), data);
      into.push(name);
    }),
  );
}

async function runPlan(plan: ClientPlan, stop: Promise<void>): Promise<Samples> {
  const samples: Samples = {
    routes: Object.fromEntries(SAMPLED.map((p) => [p, { ms: [], failures: [], maxBytes: 0 }])),
    phones: { ids: [], seconds: [], errors: [] },
    burst: [],
  };
  let stopped = false;
  const isStopped = () => stopped;
  void stop.then(() => {
    stopped = true;
  });
  const loops = SAMPLED.map((p) => sampler(plan.api, p, isStopped, samples.routes[p] as never));
  if (plan.phase === "idle") {
    await sleep((plan.seconds ?? 20) * 1000);
    stopped = true;
    await Promise.all(loops);
    return samples;
  }
  const photo = await d800Photo();
  await Promise.all([phones(plan, photo, samples.phones), burst(plan, photo, samples.burst)]);
  process.send?.({ type: "sent", phoneIds: samples.phones.ids, frames: samples.burst.length });
  await stop;
  await Promise.all(loops);
  return samples;
}

let release: () => void = () => {};
process.on("message", (message: ClientPlan | { stop: true }) => {
  if ("stop" in message) return release();
  const stop = new Promise<void>((r) => {
    release = r;
  });
  void runPlan(message, stop).then(
    (samples) => process.send?.({ type: "samples", samples }),
    (error: Error) => process.send?.({ type: "error", message: error.stack ?? error.message }),
  );
});
