/** Every check, in the order the report lists them, after reading each taken photo's record once. */
import { photoRecord } from "../drain.ts";
import { checkAgentSpool } from "./agent-spool.ts";
import { checkApiLoad } from "./api-load.ts";
import type { CheckInput, CheckResult } from "./check.ts";
import { checkFailures } from "./failures.ts";
import { checkGraphPosts } from "./graph-posts.ts";
import { checkMemory } from "./memory.ts";
import { checkS3Originals } from "./s3-originals.ts";
import { checkSecrets } from "./secrets.ts";
import { checkWebHost } from "./web-host.ts";

export type { CheckResult } from "./check.ts";

export async function runChecks(
  input: Omit<CheckInput, "records">,
): Promise<{ results: CheckResult[]; records: CheckInput["records"] }> {
  const records: CheckInput["records"] = new Map();
  for (const p of input.outcome.taken) records.set(p.id, await photoRecord(input.api, p.id));
  const full = { ...input, records };
  const checks = [
    checkS3Originals,
    checkWebHost,
    checkGraphPosts,
    checkFailures,
    checkAgentSpool,
    checkMemory,
    checkApiLoad,
  ];
  const results: CheckResult[] = [];
  for (const check of checks) {
    try {
      results.push(await check(full));
    } catch (error) {
      results.push({
        name: check.name,
        ok: false,
        detail: {},
        problems: [`the check itself failed: ${String(error)}`],
      });
    }
  }
  results.push(checkSecrets(input.secrets, input.logFiles, input.answers));
  return { results, records };
}
