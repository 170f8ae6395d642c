/** Delivered originals that stay in the inbox (`archive: "keep"`), so a rescan does not send them again. */
import { appendFile, mkdir, open, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { isCode } from "../durable-fs.ts";
import type { SourceFile } from "./journal.ts";

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
