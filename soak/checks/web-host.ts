/**
 * Every web rendition on the host exactly once (across its FTPS and SFTP folders, which are one
 * host's two doors), where the photo's record says, and no temporary or partial file left.
 */
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { type CheckInput, type CheckResult, result } from "./check.ts";

function walk(root: string, dir = root): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(root, join(dir, e.name)) : [`/${relative(root, join(dir, e.name))}`],
  );
}

export async function checkWebHost(input: CheckInput): Promise<CheckResult> {
  const problems: string[] = [];
  const onHost = new Map<string, string[]>();
  for (const [door, root] of Object.entries(input.hosts.roots))
    for (const path of walk(root)) onHost.set(path, [...(onHost.get(path) ?? []), door]);
  const partial = [...onHost.keys()].filter((p) => /\.partial$|\.tmp$|\/\.[^/]+$/.test(p));
  for (const p of partial) problems.push(`left on the host: ${p}`);
  let expected = 0;
  const claimed = new Set<string>();
  for (const [id, photo] of input.records) {
    if (photo?.stages.mirror.status !== "done") continue;
    for (const file of photo.stages.mirror.files ?? []) {
      expected++;
      const path = `/${file.remotePath.replace(/^\/+/, "")}`;
      claimed.add(path);
      const doors = onHost.get(path) ?? [];
      if (doors.length !== 1)
        problems.push(`${id.slice(0, 12)} ${file.rendition}: on the host ${doors.length} times`);
      else if (statSync(join(input.hosts.roots[doors[0] as "ftps"], path)).size === 0)
        problems.push(`${id.slice(0, 12)} ${file.rendition}: empty on the host`);
    }
  }
  // Renditions nobody's record names: a photo mirrored twice under two names.
  const photoFiles = [...onHost.keys()].filter((p) => /[0-9a-f]{12,}/.test(p) && !partial.includes(p));
  for (const p of photoFiles) if (!claimed.has(p)) problems.push(`a file no record names: ${p}`);
  const mirroredDone = [...input.records.values()].filter((p) => p?.stages.mirror.status === "done").length;
  const notMirrored = [...input.records.entries()].filter(
    ([, p]) => p?.stages.mirror.status !== "done" && p?.stages.mirror.status !== "skipped",
  );
  for (const [id, p] of notMirrored)
    problems.push(`${id.slice(0, 12)}: mirror ${p?.stages.mirror.status ?? "no record"}`);
  const byDoor = { ftps: 0, sftp: 0 };
  for (const doors of onHost.values()) for (const d of doors) byDoor[d as "ftps"]++;
  return result("every web rendition on the host exactly once, nothing partial left", problems, {
    photosMirrored: mirroredDone,
    filesExpected: expected,
    filesOnHost: onHost.size,
    byDoor,
  });
}
