/**
 * Every web rendition on the host exactly once (the folder both its doors, FTPS and SFTP, write),
 * where the photo's record says, under one name only, and no temporary or partial file left.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { photoRecord } from "../drain.ts";
import { type CheckInput, type CheckResult, result } from "./check.ts";

function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(root, join(dir, e.name)) : [`/${relative(root, join(dir, e.name))}`],
  );
}

export async function checkWebHost(input: CheckInput): Promise<CheckResult> {
  const problems: string[] = [];
  const root = input.hosts.root;
  const onHost = new Set(walk(root));
  const partial = [...onHost].filter((p) => /\.partial$|\.tmp$|\/\.[^/]+$/.test(p));
  for (const p of partial) problems.push(`left on the host: ${p}`);
  let expected = 0;
  const claimed = new Set<string>();
  for (const [id, photo] of input.records) {
    if (photo?.stages.mirror.status !== "done") continue;
    for (const file of photo.stages.mirror.files ?? []) {
      expected++;
      const path = `/${file.remotePath.replace(/^\/+/, "")}`;
      if (claimed.has(path)) problems.push(`${path}: named by two records`);
      claimed.add(path);
      if (!onHost.has(path)) problems.push(`${id.slice(0, 12)} ${file.rendition}: not on the host`);
      else if (statSync(join(root, path)).size === 0)
        problems.push(`${id.slice(0, 12)} ${file.rendition}: empty on the host`);
    }
  }
  // Renditions nobody's record names: a photo mirrored twice under two names. The records were
  // read before the slow S3 check and the pipeline goes on meanwhile (a drain that timed out leaves
  // photos on their way): a file of a photo its record did not yet show mirrored is looked up
  // again; if the record names it now, it is that photo arriving late (reported on its own as
  // missing or not mirrored), not a second copy.
  const photoFiles = [...onHost].filter((p) => /[0-9a-f]{12,}/.test(p) && !partial.includes(p));
  const late: string[] = [];
  for (const p of photoFiles) {
    if (claimed.has(p)) continue;
    if (await namedNow(input, p)) late.push(p);
    else problems.push(`a file no record names: ${p}`);
  }
  const mirroredDone = [...input.records.values()].filter((p) => p?.stages.mirror.status === "done").length;
  const notMirrored = [...input.records.entries()].filter(
    ([, p]) => p?.stages.mirror.status !== "done" && p?.stages.mirror.status !== "skipped",
  );
  for (const [id, p] of notMirrored)
    problems.push(`${id.slice(0, 12)}: mirror ${p?.stages.mirror.status ?? "no record"}`);
  // Which door each rendition went through, as its record says.
  const byDoor: Record<string, number> = {};
  for (const p of input.records.values())
    for (const f of p?.stages.mirror.files ?? []) byDoor[f.transport] = (byDoor[f.transport] ?? 0) + 1;
  return result("every web rendition on the host exactly once, nothing partial left", problems, {
    photosMirrored: mirroredDone,
    filesExpected: expected,
    filesOnHost: onHost.size,
    mirroredAfterRecordsRead: late.length,
    byDoor,
  });
}

/** Whether the record of the taken photo that `path` is a rendition of names it, read now (it was not mirrored when read first). */
async function namedNow(input: CheckInput, path: string): Promise<boolean> {
  const id = path.match(/[0-9a-f]{64}/)?.[0];
  if (!id || !input.records.has(id) || input.records.get(id)?.stages.mirror.status === "done") return false;
  const now = await photoRecord(input.api, id);
  return (now?.stages.mirror.files ?? []).some((f) => `/${f.remotePath.replace(/^\/+/, "")}` === path);
}
