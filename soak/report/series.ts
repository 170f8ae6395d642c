/** The report's time series, in seconds since the event began, from the samples, the probe and the records. */
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import type { EventOutcome } from "../event-runner.ts";
import type { ProbeResult } from "../load/api-probe.ts";
import type { Sample } from "../sample/monitor.ts";

export function seriesOf(
  startedAt: number,
  outcome: EventOutcome,
  samples: Sample[],
  probe: ProbeResult,
  records: Map<string, PhotoRecord | undefined>,
) {
  const s = (t: number) => Math.round((t - startedAt) / 100) / 10;
  const faults = outcome.faults.map((f) => ({
    fault: f.detail ? `${f.name} (${f.detail})` : f.name,
    from: s(f.startedAt),
    to: s(Math.max(f.endedAt ?? f.startedAt, f.startedAt + 1000)),
  }));
  const queues = samples.flatMap((x) =>
    Object.entries(x.queues).flatMap(([queue, q]) => [
      { s: s(x.t), series: `${queue} queue`, depth: q.visible + q.inFlight + q.delayed },
      { s: s(x.t), series: `${queue} DLQ`, depth: q.deadLetters },
    ]),
  );
  const rss = samples.flatMap((x) =>
    Object.entries(x.rssMiB).map(([process, mib]) => ({ s: s(x.t), process, mib })),
  );
  const api = Object.entries(probe.latencies).flatMap(([route, rows]) =>
    rows.map((r) => ({ s: s(r.t), route: `/${route}`, ms: Math.round(r.ms) })),
  );
  const latency: Array<{ s: number; stage: string; seconds: number }> = [];
  const settled: Array<{ s: number }> = [];
  for (const photo of outcome.taken) {
    const record = records.get(photo.id);
    if (!record) continue;
    const doneAt = (stage: string) =>
      record.journey.find((e) => e.stage === stage && (e.status === "done" || e.status === "skipped"))?.at;
    const inS3 = Date.parse(record.createdAt);
    latency.push({ s: s(photo.takenAt), stage: "in S3", seconds: (inS3 - photo.takenAt) / 1000 });
    let last = inS3;
    for (const stage of ["convert", "mirror", "publish"]) {
      const at = doneAt(stage);
      if (!at) continue;
      last = Math.max(last, Date.parse(at));
      latency.push({
        s: s(photo.takenAt),
        stage: `${stage} done`,
        seconds: (Date.parse(at) - photo.takenAt) / 1000,
      });
    }
    if (record.status === "done") settled.push({ s: s(last) });
  }
  return { faults, queues, rss, api, latency, settled };
}
