/**
 * Memory of every process bounded: no growth trend over the run. Compares each process's median
 * resident memory in the second quarter of the run (warmed up) with the last quarter (the drain,
 * after the load): growth beyond a quarter and 100 MiB is a trend, not noise. Start, end and peak
 * go into the report.
 */
import { type CheckInput, type CheckResult, result } from "./check.ts";

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
    detail[name] = stats;
    if (late > warm * 1.25 && late - warm > 100)
      problems.push(`${name}: ${warm} MiB → ${late} MiB (median, second vs last quarter)`);
  }
  return result("memory of every process bounded (no growth over the run)", problems, detail);
}
