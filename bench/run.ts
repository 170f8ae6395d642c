/**
 * `npm run bench [-- <name filter>]`: runs every benchmark module in this folder (`<name>.ts`
 * exporting `run()`), each against its reference tools side by side, prints a table and writes
 * `bench/results.json` so runs can be compared. Benchmarks are not tests: they assert nothing.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./result.ts";

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? "";
const modules = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && !["run.ts", "result.ts"].includes(f) && !f.endsWith(".d.ts"))
  .map((f) => f.slice(0, -3))
  .filter((name) => name.includes(filter));

const results: BenchResult[] = [];
for (const name of modules) {
  process.stdout.write(`\n## ${name}\n`);
  const mod = (await import(join(here, `${name}.ts`))) as { run?: () => Promise<BenchResult[]> };
  if (typeof mod.run !== "function") continue;
  try {
    results.push(...(await mod.run()));
  } catch (error) {
    process.stderr.write(`benchmark ${name} failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  }
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2));
process.stdout.write("\n| benchmark | ours | reference | ratio |\n| --- | --- | --- | --- |\n");
for (const r of results) {
  const better = r.higherIsBetter ? "higher is better" : "lower is better";
  process.stdout.write(
    `| ${r.name} | ${fmt(r.value)} ${r.unit} | ${r.reference.tool}: ${fmt(r.reference.value)} ${r.unit} | ${r.ratio.toFixed(2)} (${better}) |\n`,
  );
}
// A filtered run replaces only its own figures; the others stay as last measured.
const file = join(here, "results.json");
const previous: BenchResult[] = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : [];
const fresh = new Set(results.map((r) => r.name));
const merged = [...previous.filter((r) => !fresh.has(r.name)), ...results];
writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
process.stdout.write(`\n${results.length} results written to bench/results.json (${merged.length} in all)\n`);
