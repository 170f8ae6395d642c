/**
 * agent: the spool journal. Saves of one record that pile up behind a running write are written
 * once, as the newest state; every save resolves only once a state at least as new is on disk,
 * and a removal is never overtaken by a save made before it.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Journal, type JournalRecord } from "../src/spool/journal.ts";
import { workspace } from "./helpers/workspace.ts";

const record = (sha256: string): JournalRecord => ({
  v: 1,
  sha256,
  kind: "jpeg",
  ext: ".jpg",
  contentType: "image/jpeg",
  bytes: 3,
  key: `originals/${sha256}.jpg`,
  originalName: "a.jpg",
  capturedAt: new Date(0).toISOString(),
  spooledAt: new Date(0).toISOString(),
  sources: [],
  state: "spooled",
  attempts: 0,
});

async function onDisk(journal: Journal, sha256: string): Promise<JournalRecord> {
  return JSON.parse(await readFile(join(journal.dir, `${sha256}.json`), "utf8")) as JournalRecord;
}

describe("agent: spool journal", () => {
  it("has the newest state on disk by the time any of several quick saves resolves", async () => {
    const ws = await workspace("agent-journal");
    const journal = new Journal(ws.spoolDir);
    await journal.init();
    const r = record("a".repeat(64));
    const saves: Promise<void>[] = [journal.save(r)];
    r.state = "uploading";
    r.upload = { uploadId: "u", partSize: 1, parts: [] };
    for (let n = 1; n <= 4; n++) {
      r.upload.parts.push({ n, etag: `"e${n}"`, md5: "m", size: 1 });
      saves.push(journal.save(r));
    }
    await saves[1];
    expect((await onDisk(journal, r.sha256)).upload?.parts.map((p) => p.n)).toEqual([1, 2, 3, 4]);
    await Promise.all(saves);
    expect(await onDisk(journal, r.sha256)).toEqual(r);
    await ws.remove();
  });

  it("removes a record after the saves made before the removal, and writes a save made after it", async () => {
    const ws = await workspace("agent-journal");
    const journal = new Journal(ws.spoolDir);
    await journal.init();
    const r = record("b".repeat(64));
    const first = journal.save(r);
    r.state = "uploading";
    const second = journal.save(r);
    const removed = journal.remove(r.sha256);
    await Promise.all([first, second, removed]);
    expect((await readdir(journal.dir)).filter((n) => n.endsWith(".json"))).toEqual([]);
    r.state = "spooled";
    await journal.save(r);
    expect((await onDisk(journal, r.sha256)).state).toBe("spooled");
    await ws.remove();
  });
});
