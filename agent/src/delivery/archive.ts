/**
 * After verified delivery the originals move to `processed/` (same relative path as in the inbox),
 * or stay in place; kept originals are listed in a ledger so a rescan does not send them again.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat, unlink } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { isCode, isInside, moveFile } from "../durable-fs.ts";
import { moveCompanions } from "../sidecar.ts";
import type { SourceFile } from "../spool/journal.ts";
import type { Ledger } from "../spool/ledger.ts";

export type ArchiveMode = "move" | "keep";

export interface ArchiveOptions {
  mode: ArchiveMode;
  processedDir: string;
  inbox: string[];
  ledger: Ledger;
}

export type ArchiveOutcome = {
  source: SourceFile;
  result: "moved" | "kept" | "gone" | "replaced";
  to?: string;
};

/** Archives one source. "gone": deleted meanwhile (the spool copy was delivered); "replaced": other bytes now. */
export async function archiveSource(
  source: SourceFile,
  sha256: string,
  options: ArchiveOptions,
): Promise<ArchiveOutcome> {
  let now: Awaited<ReturnType<typeof stat>>;
  try {
    now = await stat(source.path);
  } catch (error) {
    if (isCode(error, "ENOENT")) return { source, result: "gone" };
    throw error;
  }
  if (now.size !== source.size || now.mtimeMs !== source.mtimeMs) return { source, result: "replaced" };
  if (options.mode === "keep") {
    await options.ledger.add(source);
    return { source, result: "kept" };
  }
  const root = options.inbox.find((dir) => isInside(dir, source.path)) ?? dirname(source.path);
  const target = join(options.processedDir, relative(root, source.path) || basename(source.path));
  // Downloaded again (gphoto2 --skip-existing cannot see archived files): keep one archived copy.
  if (await sameBytes(target, source.size, sha256)) {
    await unlink(source.path);
    await moveCompanions(source.path, target);
    return { source, result: "moved", to: target };
  }
  // The object is verified in S3: a move a power cut undoes is only done again (durable: false).
  const to = await moveFile(source.path, target, { durable: false });
  await moveCompanions(source.path, to);
  return { source, result: "moved", to };
}

async function sameBytes(path: string, size: number, sha256: string): Promise<boolean> {
  try {
    if ((await stat(path)).size !== size) return false;
  } catch {
    return false;
  }
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex") === sha256;
}
