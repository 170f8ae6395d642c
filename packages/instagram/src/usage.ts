/**
 * Meta's call-rate headers, read from every response: `X-App-Usage` (percent of the app's budget) and
 * `X-Business-Use-Case-Usage` (per business id, with minutes until access returns when throttled).
 */
export interface AppUsage {
  callCount: number;
  totalCputime: number;
  totalTime: number;
}

export interface BusinessUseCaseUsage extends AppUsage {
  businessId: string;
  type: string;
  /** Minutes until calls are allowed again; 0 when not throttled. */
  estimatedTimeToRegainAccess: number;
}

export interface GraphUsage {
  app?: AppUsage;
  business: BusinessUseCaseUsage[];
  /** The highest percentage in any counter: back off well before it reaches 100. */
  maxPercent: number;
  /** The longest `estimated_time_to_regain_access`, in seconds, when any is above zero. */
  retryAfterSeconds?: number;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);

function counters(raw: Record<string, unknown>): AppUsage {
  return {
    callCount: num(raw.call_count),
    totalCputime: num(raw.total_cputime),
    totalTime: num(raw.total_time),
  };
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a malformed header is no reason to fail the call it came with
  }
}

/** The usage a response reports, or `undefined` when it carries neither header. */
export function parseUsage(headers: Headers): GraphUsage | undefined {
  const app = parseJson(headers.get("x-app-usage"));
  const buc = parseJson(headers.get("x-business-use-case-usage"));
  if (app === undefined && buc === undefined) return undefined;
  const usage: GraphUsage = { business: [], maxPercent: 0 };
  if (app && typeof app === "object") usage.app = counters(app as Record<string, unknown>);
  if (buc && typeof buc === "object") {
    for (const [businessId, entries] of Object.entries(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as Record<string, unknown>[]) {
        usage.business.push({
          businessId,
          type: typeof entry.type === "string" ? entry.type : "unknown",
          ...counters(entry),
          estimatedTimeToRegainAccess: num(entry.estimated_time_to_regain_access),
        });
      }
    }
  }
  const all = [usage.app, ...usage.business].filter((u): u is AppUsage => u !== undefined);
  usage.maxPercent = Math.max(0, ...all.flatMap((u) => [u.callCount, u.totalCputime, u.totalTime]));
  const minutes = Math.max(0, ...usage.business.map((b) => b.estimatedTimeToRegainAccess));
  if (minutes > 0) usage.retryAfterSeconds = minutes * 60;
  return usage;
}
