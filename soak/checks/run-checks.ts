/** Every check, in the order the report lists them; all but S3's after reading each taken photo's record once. */
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
  // The S3 check reads no record and is the slow one (it hashes every original); it runs before
  // the records are read, so that the host folder and the sandbox are read moments after the
  // records rather than minutes (the pipeline goes on when the drain timed out).
  const results: CheckResult[] = [await guarded(checkS3Originals, input)];
  const records: CheckInput["records"] = new Map();
  for (const p of input.outcome.taken) records.set(p.id, await photoRecord(input.api, p.id));
  const full = { ...input, records };
  const checks = [checkWebHost, checkGraphPosts, checkFailures, checkAgentSpool, checkMemory, checkApiLoad];
  for (const check of checks) results.push(await guarded(check, full));
  results.push(checkSecrets(input.secrets, input.logFiles, input.answers));
  return { results, records };
}

/** The check's verdict, or a broken promise naming why the check itself could not run. */
async function guarded<I>(check: (input: I) => Promise<CheckResult>, input: I): Promise<CheckResult> {
  try {
    return await check(input);
  } catch (error) {
    return {
      name: check.name,
      ok: false,
      detail: {},
      problems: [`the check itself failed: ${String(error)}`],
    };
  }
}
