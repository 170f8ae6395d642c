/**
 * Issue 14 in CI: a small seeded soak (150 generated photos, two minutes of event, every fault of
 * the full run at proportionally shorter lengths) on the local stack, and every promise checked
 * from outside. The full run is `npm run soak`; timings are reported there, never asserted here.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runSoak } from "../run-soak.ts";

describe("soak: a small event under faults", () => {
  it("keeps every promise: S3 once, the host once, Instagram once, failures visible, spool empty, no secret", async () => {
    const reportDir = process.env.SOAK_REPORT_DIR ?? mkdtempSync(join(tmpdir(), "soak-report-"));
    const { checks, report } = await runSoak({
      photos: 150,
      minutes: 2,
      seed: 14,
      sizes: { pixels: 1200, jpegBytes: 300_000, nefBytes: 1_000_000 },
      reportDir,
      drainTimeoutMs: 150_000,
      log: (line) => void appendFileSync(join(reportDir, "soak.log"), `${line}\n`),
    });
    expect(report.photos).toBe(150);
    expect(report.faults.map((f) => f.error).filter(Boolean)).toEqual([]);
    for (const check of checks) expect(check.problems, check.name).toEqual([]);
    expect(checks.length).toBe(10);
    // The work folder is gone (a full run leaves gigabytes there), its logs kept beside the report.
    const work = readFileSync(join(reportDir, "soak.log"), "utf8").match(/work in (\S+)/)?.[1];
    expect(work && existsSync(work), `work folder ${work} removed`).toBe(false);
    expect(existsSync(join(reportDir, "logs", "stack.log"))).toBe(true);
  }, 420_000);
});
