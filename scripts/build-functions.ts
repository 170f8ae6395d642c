/**
 * `npm run build:functions`: bundles every function in `infra/functions.ts` exactly as `sst deploy`
 * does (`function-build.ts`) into `.build/functions/<Name>/` with its metafile, then
 * prints each bundle's size, heaviest and native packages, and cold-start import time. Exits 1 when
 * any bundle fails to build or imports a package that `nodejs.install` does not provide (SST
 * installs only that list, so such an import fails in Lambda at the first cold start).
 *
 * `--no-cold-start` skips the import timing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { FUNCTIONS, type FunctionSpec, RUNTIME } from "../infra/functions.ts";
import { type ColdStart, coldStart, fileBytes, packageWeights } from "./bundle-report.ts";
import { BUNDLES_DIR, buildFunction, cliVersion, ROOT } from "./function-build.ts";
import { buildLikeSst } from "./sst-node-builder.ts";

const root = ROOT;
const outRoot = BUNDLES_DIR;
/** The aim for every handler but convert, which loads sharp and libheif at start-up by design. */
const COLD_START_AIM_MS = 300;
const HEAVY_BYTES = 50_000;

const measure = !process.argv.includes("--no-cold-start");

/** Builds one function and prints what it carries and costs; returns the problems found. */
async function buildAndReport(spec: FunctionSpec): Promise<string[]> {
  const { result, problems } = await buildFunction(spec);
  if (!result.metafile) return problems;
  const weights = packageWeights(result.metafile, root);
  const heavy = weights.filter((w) => w.bytes >= HEAVY_BYTES).map((w) => `${w.name} ${kb(w.bytes)}`);
  const natives = [
    ...weights.filter((w) => w.native).map((w) => w.name),
    ...result.install.map((n) => `${n} (installed)`),
  ];
  const timing = measure ? describeColdStart(spec, coldStart(result.outfile)) : "";
  console.log(`${spec.name.padEnd(22)} ${kb(fileBytes(result.outfile)).padStart(9)}  ${timing}`);
  console.log(`  native: ${natives.join(", ") || "none"}`);
  console.log(`  heavy (≥ ${kb(HEAVY_BYTES)}): ${heavy.join(", ") || "none"}`);
  return problems;
}

function describeColdStart(spec: FunctionSpec, { importMs, cpuMs, rssMb }: ColdStart): string {
  const ratio = reference ? ` (×${(cpuMs / reference.cpuMs).toFixed(2)} the reference's CPU)` : "";
  const slow = spec.name !== FUNCTIONS.convert.name && importMs > COLD_START_AIM_MS;
  const aim = slow ? `, above the ${COLD_START_AIM_MS} ms aim` : "";
  return `cold import ${importMs.toFixed(0).padStart(4)} ms${aim}, CPU ${cpuMs.toFixed(0)} ms${ratio}, rss ${rssMb.toFixed(0)} MB`;
}

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(0)} kB`;
}

/**
 * The yardstick for this run's timings: a handler that only creates an S3 client, bundled the same
 * way, the least any of our functions loads.
 */
async function referenceColdStart(): Promise<ColdStart> {
  const source = join(outRoot, "reference-src", "handler.ts");
  mkdirSync(dirname(source), { recursive: true });
  writeFileSync(
    source,
    'import { S3Client } from "@aws-sdk/client-s3";\nexport const handler = async () => new S3Client({});\n',
  );
  const { errors, outfile } = await buildLikeSst({
    root,
    handler: `${relative(root, source).slice(0, -".ts".length)}.handler`,
    runtime: RUNTIME,
    properties: { minify: true },
    out: join(outRoot, "reference"),
    cliVersion: cliVersion(),
  });
  if (errors.length > 0) throw new Error(`the reference handler failed to build: ${errors.join("; ")}`);
  return coldStart(outfile);
}

mkdirSync(outRoot, { recursive: true });
const reference = measure ? await referenceColdStart() : undefined;
if (reference)
  console.log(
    `reference: a handler creating one S3Client, built alike, imports in ${reference.importMs.toFixed(0)} ms (CPU ${reference.cpuMs.toFixed(0)} ms); the machine's load moves wall times, the CPU ratios hold`,
  );
let failed = 0;
for (const spec of Object.values(FUNCTIONS)) {
  const problems = await buildAndReport(spec).catch((error: unknown) => [String(error)]);
  if (problems.length === 0) continue;
  failed++;
  console.error(`✕ ${spec.name} (${spec.handler}):\n${problems.map((p) => `    ${p}`).join("\n")}`);
}
const count = Object.keys(FUNCTIONS).length;
console.log(
  failed ? `\n${failed} of ${count} functions failed to build` : `\n${count} functions built in ${outRoot}`,
);
process.exitCode = failed ? 1 : 0;
