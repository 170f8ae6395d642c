/**
 * Samples the running event every few seconds: resident memory of each process (from /proc), the
 * queue and dead-letter depths and the photo counts (from the API's `/status`, as the dashboard).
 */
import { readFileSync } from "node:fs";

export interface Sample {
  t: number;
  rssMiB: Record<string, number>;
  queues: Record<string, { visible: number; inFlight: number; delayed: number; deadLetters: number }>;
  counts: Record<string, number>;
}

export function rssMiB(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface Monitor {
  samples: Sample[];
  /** Bodies of `/status` answers kept for the secret grep. */
  answers: string[];
  stop(): Promise<void>;
}

export function startMonitor(
  processes: () => Record<string, number>,
  api: { url: string; token: string },
  intervalMs = 2000,
): Monitor {
  const samples: Sample[] = [];
  const answers: string[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const rss: Record<string, number> = {};
      for (const [name, pid] of Object.entries(processes())) {
        const value = pid ? rssMiB(pid) : undefined;
        if (value !== undefined) rss[name] = Math.round(value);
      }
      try {
        const res = await fetch(`${api.url}/status`, { headers: { authorization: `Bearer ${api.token}` } });
        const text = await res.text();
        if (answers.length < 50 || samples.length % 20 === 0) answers.push(text);
        const body = JSON.parse(text) as Pick<Sample, "queues" | "counts">;
        samples.push({ t: Date.now(), rssMiB: rss, queues: body.queues ?? {}, counts: body.counts ?? {} });
      } catch {
        samples.push({ t: Date.now(), rssMiB: rss, queues: {}, counts: {} });
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    samples,
    answers,
    async stop() {
      running = false;
      await loop;
    },
  };
}
