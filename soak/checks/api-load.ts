/**
 * The API under load: the p95 of `/status` and `/photos` while phones and the agent upload
 * (reported against the 200 ms aim, not asserted: timing is a benchmark's business), and a client
 * without a token or with a wrong one refused every time (401, then 429 by the auth throttle).
 */
import { type CheckInput, type CheckResult, result } from "./check.ts";

export const p95 = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] as number) : 0;
};

export async function checkApiLoad(input: CheckInput): Promise<CheckResult> {
  const problems: string[] = [];
  const { intruder, probe } = input;
  if (intruder.leaks > 0)
    problems.push(`${intruder.leaks} answers to a client without the token were not refusals`);
  const refused = (intruder.byStatus["401"] ?? 0) + (intruder.byStatus["429"] ?? 0);
  if (intruder.requests > 0 && refused !== intruder.requests)
    problems.push(`intruder: ${JSON.stringify(intruder.byStatus)}`);
  const figures = Object.fromEntries(
    Object.entries(probe.latencies).map(([name, rows]) => {
      const ok = rows.filter((r) => r.status === 200).map((r) => r.ms);
      return [
        name,
        {
          requests: rows.length,
          non200: rows.length - ok.length,
          p50Ms: Math.round(p95Half(ok)),
          p95Ms: Math.round(p95(ok)),
          aimMs: 200,
        },
      ];
    }),
  );
  return result("the API answers its owner and refuses everyone else under load", problems, {
    ...figures,
    intruder,
  });
}

function p95Half(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s[Math.floor(s.length / 2)] as number) : 0;
}
