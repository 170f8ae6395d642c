/**
 * After verified delivery the originals move to `processed/` (same relative path as in the inbox),
 * or stay in place; kept originals are listed in a ledger so a rescan does not send them again.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { appendFile, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { isCode, isInside, moveFile } from "./durable-fs.ts";
import type { SourceFile } from "./journal.ts";
import { moveSidecar } from "./sidecar.ts";

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
    await moveSidecar(source.path, target);
    return { source, result: "moved", to: target };
  }
  const to = await moveFile(source.path, target);
  await moveSidecar(source.path, to);
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

/** Append-only list of delivered originals that stay in the inbox (`archive: "keep"`). */
export class Ledger {
  readonly #path: string;
  readonly #entries = new Map<string, string>();

  constructor(spoolDir: string) {
    this.#path = join(spoolDir, "kept.jsonl");
  }

  async load(): Promise<void> {
    await mkdir(dirname(this.#path), { recursive: true });
    let text = "";
    try {
      text = await readFile(this.#path, "utf8");
    } catch (error) {
      if (!isCode(error, "ENOENT")) throw error;
    }
    for (const line of text.split("\n")) {
      try {
        const entry = JSON.parse(line) as SourceFile;
        this.#entries.set(entry.path, `${entry.size}:${entry.mtimeMs}`);
      } catch {
        // a torn last line after a power cut: that file is simply checked (and found in S3) again
      }
    }
  }

  has(path: string, size: number, mtimeMs: number): boolean {
    return this.#entries.get(path) === `${size}:${mtimeMs}`;
  }

  async add(source: SourceFile): Promise<void> {
    const handle = await open(this.#path, "a");
    try {
      await appendFile(handle, `${JSON.stringify(source)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.#entries.set(source.path, `${source.size}:${source.mtimeMs}`);
  }
}
