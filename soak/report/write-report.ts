/**
 * `soak-report/index.html` and `soak.json`: the run's figures, every check with its verdict, and
 * the plots (faults, queue and DLQ depths, per-stage latency, throughput, memory, API latency);
 * with `screenshot`, a PNG of the page taken with Chromium.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { chromium } from "playwright-core";
import type { CheckResult } from "../checks/check.ts";
import type { EventOutcome } from "../event-runner.ts";
import type { IntruderResult, ProbeResult } from "../load/api-probe.ts";
import type { Sample } from "../sample/monitor.ts";
import { bars, faultTimeline, lines } from "./charts.ts";
import { seriesOf } from "./series.ts";

export interface ReportInput {
  options: Record<string, unknown>;
  startedAt: number;
  endedAt: number;
  spool: string;
  agentStarts: number;
  outcome: EventOutcome;
  samples: Sample[];
  probe: ProbeResult;
  intruder: IntruderResult;
  checks: CheckResult[];
  records: Map<string, PhotoRecord | undefined>;
}

export type SoakReport = ReturnType<typeof summary>;

function summary(input: ReportInput) {
  const series = seriesOf(input.startedAt, input.outcome, input.samples, input.probe, input.records);
  const minutes = (input.endedAt - input.startedAt) / 60_000;
  return {
    options: input.options,
    startedAt: new Date(input.startedAt).toISOString(),
    durationSeconds: Math.round((input.endedAt - input.startedAt) / 1000),
    photos: input.outcome.taken.length,
    photosPerMinute: Math.round((series.settled.length / minutes) * 10) / 10,
    megabytes: Math.round(input.outcome.taken.reduce((n, p) => n + p.bytes, 0) / 2 ** 20),
    spool: input.spool,
    agentStarts: input.agentStarts,
    faults: input.outcome.faults,
    notes: input.outcome.notes,
    checks: input.checks,
    passed: input.checks.every((c) => c.ok),
    series,
  };
}

export async function writeReport(dir: string, input: ReportInput, screenshot?: string): Promise<SoakReport> {
  mkdirSync(dir, { recursive: true });
  const report = summary(input);
  writeFileSync(join(dir, "soak.json"), `${JSON.stringify(report, null, 1)}\n`);
  const { series } = report;
  const plots = [
    await faultTimeline(series.faults),
    await lines("Queue and dead-letter depths", series.queues, "depth", "series", "messages"),
    await lines(
      "Per-stage latency (from the shot)",
      series.latency,
      "seconds",
      "stage",
      "seconds after the shot",
      "point",
    ),
    await bars("Throughput: photos done", series.settled, "photos done"),
    await lines("Resident memory per process", series.rss, "mib", "process", "MiB"),
    await lines("API latency under load", series.api, "ms", "route", "ms", "point"),
  ];
  writeFileSync(join(dir, "index.html"), html(report, plots));
  if (screenshot) await shoot(join(dir, "index.html"), screenshot);
  return report;
}

const esc = (s: string) =>
  s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] as string);

function html(report: SoakReport, plots: string[]): string {
  const checks = report.checks
    .map(
      (c) => `<tr class="${c.ok ? "ok" : "bad"}"><td>${c.ok ? "✔" : "✖"}</td><td>${esc(c.name)}</td>
        <td><code>${esc(JSON.stringify(c.detail))}</code>${c.problems.map((p) => `<div class="problem">${esc(p)}</div>`).join("")}</td></tr>`,
    )
    .join("\n");
  const notes = report.notes.map((n) => `<li>${esc(n.message)}</li>`).join("");
  return `<!doctype html><html><head><meta charset="utf-8"><title>photo-relay soak</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;max-width:960px}td{vertical-align:top;padding:4px 8px}
tr.bad{background:#fde2e1}tr.ok td:first-child{color:#2a7}code{font-size:12px;word-break:break-all}.problem{color:#b00}</style></head>
<body><h1>photo-relay soak: ${report.passed ? "all promises kept" : "promises broken"}</h1>
<p>${report.photos} photos (${report.megabytes} MB) in ${report.durationSeconds} s, ${report.photosPerMinute} photos/min done;
${report.faults.length} faults; agent started ${report.agentStarts} times; spool on ${esc(report.spool)}; seed ${esc(String(report.options.seed))}.</p>
<h2>Checks</h2><table>${checks}</table>
<h2>Plots</h2>${plots.join("\n")}
<h2>Notes</h2><ul>${notes}</ul></body></html>\n`;
}

async function shoot(page: string, png: string): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await tab.goto(`file://${page}`);
    await tab.screenshot({ path: png, fullPage: true });
  } finally {
    await browser.close();
  }
}
