/**
 * Every photo settled: done, or failed with a reason (a code and a message) that the API offers to
 * retry; nothing left half-way. A failure the soak's faults caused and the script's retries did
 * not mend is reported with its stage and reason.
 */
import { type CheckInput, type CheckResult, result } from "./check.ts";
import { heldByInstagramLimit } from "./limit-wait.ts";

export async function checkFailures(input: CheckInput): Promise<CheckResult> {
  const problems: string[] = [];
  const byStatus: Record<string, number> = {};
  const reasons: Record<string, number> = {};
  /** Open only because Instagram's quota or container limit holds them: deferred, not lost. */
  const heldByLimits: Record<string, number> = {};
  for (const [id, photo] of input.records) {
    const status = photo?.status ?? "missing";
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (!photo) {
      // Before the drain's end a photo's original can be in S3 with convert still to come.
      problems.push(
        `${id.slice(0, 12)}: no record${input.drained.settled ? "" : " yet (the drain timed out)"}`,
      );
      continue;
    }
    for (const [stage, s] of Object.entries(photo.stages)) {
      if (s.status !== "failed") continue;
      const code = s.lastError?.code ?? "none";
      reasons[`${stage}:${code}`] = (reasons[`${stage}:${code}`] ?? 0) + 1;
      if (!s.lastError?.code || !s.lastError.message)
        problems.push(`${id.slice(0, 12)}: ${stage} failed without a reason`);
    }
    if (photo.status === "failed") {
      // Visible as failed in the list the dashboard shows, with its retry offered.
      const res = await fetch(`${input.api.url}/photos/${id}`, {
        headers: { authorization: `Bearer ${input.api.token}` },
      });
      if (!res.ok) problems.push(`${id.slice(0, 12)}: failed, and its page answers ${res.status}`);
      if (!photo.instagramRefusal)
        problems.push(`${id.slice(0, 12)}: still failed at the end (${failedStages(photo)})`);
    } else if (photo.status === "processing") {
      const wait = heldByInstagramLimit(photo);
      if (wait) heldByLimits[wait.limit] = (heldByLimits[wait.limit] ?? 0) + 1;
      else problems.push(`${id.slice(0, 12)}: still processing (${failedStages(photo)})`);
    }
  }
  return result("every failure visible with a reason and retryable; nothing left open", problems, {
    byStatus,
    failureReasons: reasons,
    heldByInstagramLimits: heldByLimits,
    drainSettled: input.drained.settled,
    drainWaitedSeconds: Math.round(input.drained.waitedMs / 1000),
    stillOpen: input.drained.open.slice(0, 10),
    shotErrors: input.outcome.shotErrors.slice(0, 10),
  });
}

const failedStages = (photo: NonNullable<ReturnType<CheckInput["records"]["get"]>>) =>
  Object.entries(photo.stages)
    .map(([n, s]) => `${n} ${s.status}${s.lastError ? ` ${s.lastError.code}` : ""}`)
    .join(", ");
