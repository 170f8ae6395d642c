/** The agent's spool empty (nothing pending), its inboxes empty, and every camera original archived in `processed/`. */
import { createHash } from "node:crypto";
import { createReadStream, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { type CheckInput, type CheckResult, result } from "./check.ts";

function files(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

/**
 * Streamed: a full run archives 800 originals of 20-75 MB, and each read whole was one more large
 * buffer in the soak process, whose peak the memory check measures.
 */
async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

export async function checkAgentSpool(input: CheckInput): Promise<CheckResult> {
  const { places } = input;
  const problems: string[] = [];
  const spoolFiles = files(places.spoolDir).map((f) => relative(places.spoolDir, f));
  // The journal and status files stay; spooled copies (and any pending record) must be gone.
  // The journal, the status file and the tether hook script stay; spooled copies and temp files must be gone.
  const pending = spoolFiles.filter((f) => !/^(journal|status\.json$|gphoto2-hook\.sh$|logs\/)/.test(f));
  for (const f of pending) problems.push(`spool still holds ${f}`);
  const left = places.inboxes.flatMap((d) => readdirSync(d).filter((f) => !f.startsWith(".")));
  for (const f of left) problems.push(`inbox still holds ${f}`);
  const archived = new Map<string, string>();
  for (const file of files(places.processedDir)) archived.set(await sha256OfFile(file), file);
  const camera = input.outcome.taken.filter((p) => p.source !== "phone");
  for (const p of camera) if (!archived.has(p.id)) problems.push(`${p.name} not archived in processed/`);
  return result("agent spool empty, every original archived", problems, {
    spoolFiles: spoolFiles.length,
    spoolKept: spoolFiles.filter((f) => !pending.includes(f)).slice(0, 10),
    cameraOriginals: camera.length,
    archived: archived.size,
  });
}
