/**
 * Evaluates `sst.config.ts`'s `run()` offline into its resource graph, as `sst deploy` would up to
 * the point where Pulumi's engine takes over: the same eval program (eval-bundle.ts) runs over the
 * real SST components in `.sst/platform`, with Pulumi's mocks instead of the engine and AWS
 * (mocks.ts) and a stand-in for the CLI's RPC server (rpc.ts). Writes the graph as JSON to `--out`.
 *
 * Needs `npm run typecheck:infra` (the offline `sst install`) first, `AWS_REGION` (the region the
 * deploy would target) and `SST_SECRET_<Name>` for every secret, as `sst deploy` reads them.
 * `--print` also prints each function's limits, triggers, links and rights.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildDeployProgram, evaluateApp } from "./eval-bundle.ts";
import type { Graph } from "./graph.ts";
import { awsMocks, type RecordedResource } from "./mocks.ts";
import { startRpcStandIn } from "./rpc.ts";
import { summarize } from "./summary.ts";

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    stage: { type: "string", default: "synth" },
    print: { type: "boolean" },
  },
});
const root = resolve(import.meta.dirname, "../..");
const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
if (!region) throw new Error("set AWS_REGION: the region `sst deploy` would deploy to");
const out = resolve(values.out ?? join(root, ".build/synth/graph.json"));
const platform = join(root, ".sst", "platform");
const require = createRequire(join(platform, "package.json"));
/** The part of `@pulumi/pulumi` (the platform's copy, the one the program loads) this harness drives. */
interface PulumiRuntime {
  setMocks(
    mocks: ReturnType<typeof awsMocks>,
    project: string,
    stack: string,
    preview: boolean,
  ): Promise<void>;
  runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
  /** Resolves once no resource registration is outstanding: the program has finished. */
  waitForRPCs(): Promise<void>;
}
const pulumi = require("@pulumi/pulumi") as { runtime: PulumiRuntime };
const cliVersion = (require(join(root, "node_modules/sst/package.json")) as { version: string }).version;

const app = await evaluateApp(root, values.stage);
const work = join(root, ".build", "synth", app.stage);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const cli = {
  command: "deploy",
  dev: false,
  paths: { home: join(tmpdir(), "sst-synth-home"), root, work, platform },
  state: { version: {} },
};
const rpc = await startRpcStandIn(root, work, cliVersion);
process.env.SST_SERVER = rpc.url;
const program = join(platform, `sst.config.synth-${process.pid}.mjs`);
try {
  await buildDeployProgram(root, app, cli, program);
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(awsMocks(region, resources), app.name, app.stage, false);
  const outputs = await pulumi.runtime.runInPulumiStack(async () => (await import(program)).default);
  await pulumi.runtime.waitForRPCs();
  mkdirSync(dirname(out), { recursive: true });
  const graph = unwrapSecrets({ app, region, resources, builds: rpc.builds, outputs }) as Graph;
  writeFileSync(out, JSON.stringify(graph, null, 2));
  if (values.print) console.log(summarize(graph));
} finally {
  await rpc.close();
  rmSync(program, { force: true });
  rmSync(`${program}.map`, { force: true });
}

/** Pulumi marks secret values with a signature key; the checks want the plain values. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("4dabf18193072939515e22adb298388d" in record) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}
