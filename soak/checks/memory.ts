/**
 * Memory of every process bounded: no growth trend over the run. Compares each process's median
 * resident memory in the second quarter of the run (warmed up) with the last quarter (the drain,
 * after the load): growth beyond a quarter and 100 MiB is a trend, not noise — in a run long
 * enough to tell (a two-minute run is all warm-up; there the trend is reported, not judged).
 * Always: no process past its ceiling. Start, end and peak go into the report.
 */
import { type CheckInput, type CheckResult, result } from "./check.ts";

/**
 * Resident memory no process may pass, in MiB (the stack holds six function workers, fauxqs and
 * DynamoDB; the devices are ten phones and two cameras with their 20-75 MB shots in flight).
 */
const CEILING_MIB: Record<string, number> = { stack: 2048, agent: 512, devices: 1024, soak: 1024 };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] as number) : 0;
};

export async function checkMemory(input: CheckInput): Promise<CheckResult> {
  const problems: string[] = [];
  const detail: Record<string, unknown> = {};
  const names = new Set(input.samples.flatMap((s) => Object.keys(s.rssMiB)));
  for (const name of names) {
    const series = input.samples.map((s) => s.rssMiB[name]).filter((v): v is number => v !== undefined);
    if (series.length < 8) continue;
    const q = Math.floor(series.length / 4);
    const warm = median(series.slice(q, 2 * q));
    const late = median(series.slice(3 * q));
    const stats = {
      startMiB: series[0],
      endMiB: series.at(-1),
      peakMiB: Math.max(...series),
      warmMedianMiB: warm,
      lateMedianMiB: late,
    };
    const growing = late > warm * 1.25 && late - warm > 100;
    detail[name] = { ...stats, growing };
    if (growing && input.trendMatters)
      problems.push(`${name}: ${warm} MiB → ${late} MiB (median, second vs last quarter)`);
    const ceiling = CEILING_MIB[name] ?? 1024;
    if (stats.peakMiB > ceiling) problems.push(`${name}: peak ${stats.peakMiB} MiB, over its ${ceiling} MiB`);
  }
  return result("memory of every process bounded (no growth over the run)", problems, detail);
}
