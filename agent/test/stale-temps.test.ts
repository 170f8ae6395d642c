/**
 * agent: the temp files of atomic writes that a killed agent left (written, not yet renamed) are
 * removed at the next start — the spool's status-file temps and the journal's — found by the
 * soak, whose SIGKILLed agents left one `.status.json-<pid>-<hex>` or journal temp per kill.
 * Records, the status file and the running process's own temps stay.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal } from "../src/spool/journal.ts";
import { Spool } from "../src/spool/spool.ts";
import { workspace } from "./helpers/workspace.ts";

describe("agent: temp files a killed agent left", () => {
  it("are removed from the spool and its journal at start; records and our own temps stay", async () => {
    const { spoolDir } = await workspace();
    const journalDir = join(spoolDir, "journal");
    await mkdir(journalDir, { recursive: true });
    const dead = 2_000_000_000; // no such process
    const record = `${"ab".repeat(32)}.json`;
    await writeFile(join(spoolDir, "status.json"), "{}");
    await writeFile(join(spoolDir, `.status.json-${dead}-0123456789ab`), "{");
    await writeFile(join(spoolDir, `.status.json-${process.pid}-ba9876543210`), "{");
    await writeFile(join(journalDir, record), "{}");
    await writeFile(join(journalDir, `.${record}-${dead}-aaaaaaaaaaaa`), "{");

    await new Spool({ dir: spoolDir }).init();
    await new Journal(spoolDir).init();

    expect((await readdir(spoolDir)).filter((n) => n.startsWith(".")).sort()).toEqual([
      `.status.json-${process.pid}-ba9876543210`,
    ]);
    expect(await readdir(spoolDir)).toContain("status.json");
    expect(await readdir(journalDir)).toEqual([record]);
  });
});
