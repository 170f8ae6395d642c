/** `photo-relay status [--json]`: what the running agent last published, or what its journal holds. */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type JournalRecord, type StatusFile, statusPath } from "../index.ts";
import type { AgentConfig } from "./config.ts";
import { formatBytes, renderStatus } from "./live-view.ts";

export interface StatusReport extends Partial<StatusFile> {
  running: boolean;
  waiting: { files: number; bytes: number };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

export async function readStatus(config: AgentConfig): Promise<StatusReport> {
  let published: StatusFile | undefined;
  try {
    published = JSON.parse(await readFile(statusPath(config.spoolDir), "utf8")) as StatusFile;
  } catch {
    published = undefined;
  }
  const running =
    published !== undefined && alive(published.pid) && Date.now() - Date.parse(published.updatedAt) < 10_000;
  if (running && published) return { ...published, running };
  // Not running: the journal is the truth about what waits.
  const waiting = { files: 0, bytes: 0 };
  try {
    const dir = join(config.spoolDir, "journal");
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".json") && !n.startsWith("."))) {
      const record = JSON.parse(await readFile(join(dir, name), "utf8")) as JournalRecord;
      waiting.files++;
      waiting.bytes += record.bytes;
    }
  } catch {
    // no spool yet
  }
  return { ...published, running, online: false, waiting, inFlight: [] };
}

export async function statusCommand(
  config: AgentConfig,
  json: boolean,
  out: NodeJS.WriteStream,
): Promise<number> {
  const report = await readStatus(config);
  if (json) {
    out.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (!report.running) {
    out.write(
      `agent not running; ${report.waiting.files} file(s) (${formatBytes(report.waiting.bytes)}) waiting in ${config.spoolDir}\n`,
    );
    return 0;
  }
  const lines = renderStatus({
    online: report.online ?? false,
    waiting: report.waiting,
    delivered: report.delivered ?? 0,
    ignored: report.ignored ?? 0,
    failed: report.failed ?? 0,
    ...(report.rejected !== undefined && { rejected: report.rejected }),
    inFlight: report.inFlight ?? [],
    ...(report.lastError && { lastError: report.lastError }),
  });
  out.write(`${lines.join("\n")}\n${`pid ${report.pid}, updated ${report.updatedAt}`}\n`);
  return 0;
}
