/**
 * `X-App-Usage` and `X-Business-Use-Case-Usage` as Meta sends them: percentages of the hourly call
 * budget, and for BUC the minutes until access returns (`estimated_time_to_regain_access`).
 */
const HOUR_MS = 3600 * 1000;

export class UsageMeter {
  readonly #calls: number[] = [];
  readonly #callsPerHour: number;

  constructor(callsPerHour: number) {
    this.#callsPerHour = callsPerHour;
  }

  record(now: number): void {
    this.#calls.push(now);
    while (this.#calls.length > 0 && (this.#calls[0] ?? now) <= now - HOUR_MS) this.#calls.shift();
  }

  /** Headers for a response; `throttledMinutes` > 0 reports a spent budget (a rate-limit fault). */
  headers(igUserId: string, now: number, throttledMinutes = 0): Record<string, string> {
    const inHour = this.#calls.filter((t) => t > now - HOUR_MS).length;
    const percent =
      throttledMinutes > 0 ? 100 : Math.min(100, Math.round((inHour / this.#callsPerHour) * 100));
    const cpu = Math.min(100, Math.round(percent / 4));
    return {
      "x-app-usage": JSON.stringify({ call_count: percent, total_cputime: cpu, total_time: cpu }),
      "x-business-use-case-usage": JSON.stringify({
        [igUserId]: [
          {
            type: "instagram",
            call_count: percent,
            total_cputime: cpu,
            total_time: cpu,
            estimated_time_to_regain_access: throttledMinutes,
          },
        ],
      }),
    };
  }
}
