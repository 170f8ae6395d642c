/**
 * After the last fault: waits until every photo taken has settled (done, failed with its reason,
 * or held by Instagram's quota or container limit with its next look recorded) with nothing left in any queue and the agent's inboxes empty — or the drain time is up,
 * which the checks then report as what is still open. Meanwhile it acts as the operator who
 * watches the dashboard: a photo failed for a cause the faults made (not Instagram's refusal of
 * the photo itself) is retried with `POST /retry`, at most every 15 s, each retry noted.
 */
import { readdirSync } from "node:fs";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { heldByInstagramLimit } from "./checks/limit-wait.ts";

export interface DrainOutcome {
  settled: boolean;
  waitedMs: number;
  open: string[];
}

const SETTLED = new Set(["done", "failed", "rejected", "quarantined"]);
/** One API request that takes longer than this fails the drain rather than holding the run (issue 14). */
const REQUEST_TIMEOUT_MS = 30_000;

export async function drain(
  api: { url: string; token: string },
  ids: string[],
  inboxes: string[],
  timeoutMs: number,
  note: (message: string) => void = () => undefined,
): Promise<DrainOutcome> {
  const start = Date.now();
  let open: string[] = [];
  let retriedAt = 0;
  while (Date.now() - start < timeoutMs) {
    open = [];
    let failed = 0;
    // Waiting for Instagram's quota or container limit, with the next look recorded: settled for
    // the run (the limit frees hours later), each with its step delayed on the publish queue.
    let held = 0;
    for (const id of ids) {
      const photo = await photoRecord(api, id);
      if (heldByInstagramLimit(photo)) held++;
      else if (!photo || !SETTLED.has(photo.status))
        open.push(`${id.slice(0, 12)}: ${photo ? stagesOf(photo) : "no record"}`);
      if (photo?.status === "failed" && !photo.instagramRefusal) failed++;
    }
    if (failed > 0 && Date.now() - retriedAt > 15_000) {
      retriedAt = Date.now();
      const res = await fetch(`${api.url}/retry`, { method: "POST", ...request(api) });
      note(`drain: ${failed} photo(s) failed; POST /retry: ${res.status} ${await res.text()}`);
      open.push(`${failed} failed, retried`);
    }
    const left = inboxes.flatMap((dir) => readdirSync(dir).filter((f) => !f.startsWith(".")));
    if (left.length) open.push(`inbox still holds ${left.join(", ")}`);
    const status = (await (await fetch(`${api.url}/status`, request(api))).json()) as {
      queues: Record<string, { visible: number; inFlight: number; delayed: number; deadLetters: number }>;
    };
    for (const [name, q] of Object.entries(status.queues)) {
      // The held photos' steps wait on the publish queue, delayed.
      const delayed = name === "publish" ? Math.max(0, q.delayed - held) : q.delayed;
      if (q.visible + q.inFlight + delayed + q.deadLetters > 0)
        open.push(`queue ${name}: ${JSON.stringify(q)}`);
    }
    if (open.length === 0) return { settled: true, waitedMs: Date.now() - start, open };
    await new Promise((r) => setTimeout(r, 2000));
  }
  return { settled: false, waitedMs: Date.now() - start, open };
}

const request = (api: { token: string }) => ({
  headers: { authorization: `Bearer ${api.token}` },
  signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
});

export async function photoRecord(
  api: { url: string; token: string },
  id: string,
): Promise<PhotoRecord | undefined> {
  const res = await fetch(`${api.url}/photos/${id}`, request(api));
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET /photos/${id}: ${res.status}`);
  return (await res.json()) as PhotoRecord;
}

const stagesOf = (p: PhotoRecord) =>
  Object.entries(p.stages)
    .map(([name, s]) => `${name} ${s.status}${s.lastError ? ` (${s.lastError.code})` : ""}`)
    .join(", ");
