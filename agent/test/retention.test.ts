import { mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Retention } from "../src/spool/retention.ts";

const DAY = 86_400_000;

async function spoolWith(names: string[]) {
  const dir = await mkdtemp(join(tmpdir(), "agent-retention-"));
  for (const name of names) await writeFile(join(dir, name), "x");
  return dir;
}

describe("agent: spool retention", () => {
  it("deletes the spool copy once verified by default", async () => {
    const dir = await spoolWith(["a.jpg"]);
    await new Retention(dir).release(join(dir, "a.jpg"), "a.jpg");
    expect(await readdir(dir)).toEqual([]);
  });

  it("keeps delivered copies for N days, then prunes them", async () => {
    const dir = await spoolWith(["a.jpg", "b.jpg"]);
    const retention = new Retention(dir, { keepDays: 7 });
    const now = Date.now();
    await retention.release(join(dir, "a.jpg"), "a.jpg", now - 8 * DAY);
    await retention.release(join(dir, "b.jpg"), "b.jpg", now - 1 * DAY);
    expect(await retention.prune(async () => Number.MAX_SAFE_INTEGER, now)).toBe(1);
    expect(await readdir(join(dir, "kept"))).toEqual([`${now - DAY}-b.jpg`]);
  });

  it("prunes kept copies oldest first while free space is below the floor", async () => {
    const dir = await spoolWith(["a.jpg", "b.jpg", "c.jpg"]);
    const retention = new Retention(dir, { keepDays: 30, minFreeBytes: 100 });
    const now = Date.now();
    for (const [i, n] of ["a.jpg", "b.jpg", "c.jpg"].entries())
      await retention.release(join(dir, n), n, now - (3 - i) * 1000);
    let free = -25; // each deletion frees 50 bytes: 25, 75, then 125 ≥ the floor
    expect(await retention.prune(async () => (free += 50), now)).toBe(2);
    expect(await readdir(join(dir, "kept"))).toEqual([`${now - 1000}-c.jpg`]);
  });
});
