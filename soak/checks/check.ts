/** One promise checked from outside: passed or not, and what was seen. */

import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import type { DrainOutcome } from "../drain.ts";
import type { EventOutcome } from "../event-runner.ts";
import type { MirrorHosts } from "../faults/mirror-hosts.ts";
import type { AgentPlaces } from "../load/agent-process.ts";
import type { IntruderResult, ProbeResult } from "../load/api-probe.ts";
import type { Sample } from "../sample/monitor.ts";
import type { StackProcess } from "../stack/stack-process.ts";

export interface CheckResult {
  name: string;
  ok: boolean;
  /** The figures behind the verdict. */
  detail: Record<string, unknown>;
  /** Each broken promise, named (the first few). */
  problems: string[];
}

export interface CheckInput {
  api: { url: string; token: string };
  stack: StackProcess;
  hosts: MirrorHosts;
  places: AgentPlaces;
  outcome: EventOutcome;
  drained: DrainOutcome;
  samples: Sample[];
  /** Whether the run is long enough (≥ 10 min) for a growth trend to be told from warming up. */
  trendMatters: boolean;
  probe: ProbeResult;
  intruder: IntruderResult;
  secrets: string[];
  logFiles: string[];
  answers: string[];
  /** Every taken photo's record, read through the API once for all checks. */
  records: Map<string, PhotoRecord | undefined>;
}

export function result(name: string, problems: string[], detail: Record<string, unknown>): CheckResult {
  return { name, ok: problems.length === 0, detail, problems: problems.slice(0, 20) };
}
