#!/usr/bin/env node
/**
 * `npm run soak [-- --photos N --minutes M --seed S]`: a whole event on the local stack under
 * faults (default: 1,000 photos, 20 minutes, 20 MB JPEGs and 75 MB NEFs), its report in
 * `soak-report/` (with the logs) and a screenshot of it in `docs/soak-report.png`; the work folder
 * is removed unless `--keep-work`. Exits 1 when a promise broke.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { runSoak } from "../run-soak.ts";

const MB = 1_000_000;
const { values } = parseArgs({
  options: {
    photos: { type: "string", default: "1000" },
    minutes: { type: "string", default: "20" },
    seed: { type: "string", default: "14" },
    "jpeg-mb": { type: "string", default: "20" },
    "nef-mb": { type: "string", default: "75" },
    pixels: { type: "string", default: "3000" },
    out: { type: "string", default: "soak-report" },
    screenshot: { type: "string", default: "docs/soak-report.png" },
    "keep-work": { type: "boolean", default: false },
  },
});
const root = resolve(import.meta.dirname, "../..");
const { passed, checks, report } = await runSoak({
  photos: Number(values.photos),
  minutes: Number(values.minutes),
  seed: Number(values.seed),
  sizes: {
    pixels: Number(values.pixels),
    jpegBytes: Number(values["jpeg-mb"]) * MB,
    nefBytes: Number(values["nef-mb"]) * MB,
  },
  reportDir: resolve(root, values.out),
  screenshot: resolve(root, values.screenshot),
  keepWork: values["keep-work"],
});
for (const c of checks) {
  process.stdout.write(`${c.ok ? "✔" : "✖"} ${c.name}\n`);
  for (const p of c.problems) process.stdout.write(`    ${p}\n`);
}
process.stdout.write(
  `report: ${join(values.out, "index.html")} (${report.photos} photos, ${report.durationSeconds} s)\n`,
);
process.exit(passed ? 0 : 1);
