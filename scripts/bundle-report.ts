/**
 * What a built bundle carries and costs: its size, the packages inside it by weight, the native
 * ones among them, what it imports at run time without having it installed, and how long a fresh
 * Node process takes to import it (a Lambda cold start's share that is ours).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Metafile } from "esbuild";

export interface PackageWeight {
  name: string;
  bytes: number;
  native: boolean;
}

/** Bytes each package contributes to the output, heaviest first (workspace packages by folder). */
export function packageWeights(metafile: Metafile, root: string): PackageWeight[] {
  const weights = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      weights.set(name, (weights.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...weights]
    .map(([name, bytes]) => ({ name, bytes, native: isNative(join(root, "node_modules", name)) }))
    .sort((a, b) => b.bytes - a.bytes);
}

function packageOf(path: string): string {
  const inModules = path.lastIndexOf("node_modules/");
  if (inModules >= 0) {
    const [scope, name] = path.slice(inModules + "node_modules/".length).split("/");
    return scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? path);
  }
  const workspace = /^(packages|functions|agent)\/([^/]+)/.exec(path);
  return workspace?.[1] === "packages" ? `@photo-relay/${workspace[2]}` : (workspace?.[1] ?? path);
}

/** A package with a compiled addon: a node-gyp build file or prebuilt `.node` binaries. */
function isNative(dir: string): boolean {
  if (!existsSync(dir)) return false;
  if (existsSync(join(dir, "binding.gyp")) || existsSync(join(dir, "prebuilds"))) return true;
  const release = join(dir, "build", "Release");
  return existsSync(release) && readdirSync(release).some((f) => f.endsWith(".node"));
}

/** Bare imports left in the bundle (not `node:` built-ins): each must be installed beside it. */
export function runtimeImports(metafile: Metafile): string[] {
  const builtins = new Set(builtinModules);
  const found = new Set<string>();
  for (const input of Object.values(metafile.inputs)) {
    for (const imp of input.imports) {
      // `<runtime>` is esbuild's own helper module, not an import.
      if (imp.external && !/^(node:|<)/.test(imp.path) && !builtins.has(imp.path))
        found.add(packageOf(`node_modules/${imp.path}`));
    }
  }
  return [...found].sort();
}

export interface ColdStart {
  /** Median of the runs: time to `import()` the bundle in a fresh process, in ms. */
  importMs: number;
  /**
   * Median of the runs: CPU time (user + system) the import took, in ms. Unlike the wall time it
   * hardly moves when other processes share the machine, so ratios are taken on it.
   */
  cpuMs: number;
  /** Resident memory after the import, in MB. */
  rssMb: number;
}

/**
 * Imports the bundle in `runs` fresh Node processes with a Lambda-like environment and no SST
 * links loaded (SST reads them lazily, on first use). Externals resolve from the repository's
 * `node_modules`, as they would from the function's own folder in Lambda.
 */
export function coldStart(bundle: string, runs = 5): ColdStart {
  const probe = [
    "const t = performance.now();",
    "const c = process.cpuUsage();",
    "await import(process.argv[1]);",
    "const { user, system } = process.cpuUsage(c);",
    "const ms = performance.now() - t;",
    "console.log(JSON.stringify({ ms, cpuMs: (user + system) / 1000, rss: process.memoryUsage().rss }));",
  ].join("\n");
  const samples = Array.from({ length: runs }, () => {
    const out = execFileSync(
      process.execPath,
      ["--input-type=module", "-e", probe, pathToFileURL(bundle).href],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: "eu-west-1",
          AWS_LAMBDA_FUNCTION_NAME: "cold-start-probe",
        },
        encoding: "utf8",
      },
    );
    return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as { ms: number; cpuMs: number; rss: number };
  });
  return {
    importMs: median(samples.map((s) => s.ms)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    rssMb: Math.max(...samples.map((s) => s.rss)) / 2 ** 20,
  };
}

function median(values: number[]): number {
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
}

export const fileBytes = (path: string): number => statSync(path).size;
