/**
 * Builds the functions of `infra/functions.ts` exactly as `sst deploy` does (`sst-node-builder.ts`)
 * into `.build/functions/<Name>/` (`bundle.mjs` and its `meta.json`), and tells whether a built
 * bundle is older than what it was built from. Used by `npm run build:functions` (which reports on
 * each bundle) and by the tests that run the local stack from the bundles.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Metafile } from "esbuild";
import {
  ARCHITECTURE,
  FUNCTIONS,
  type FunctionKey,
  type FunctionSpec,
  nodejsOptions,
  RUNTIME,
} from "../infra/functions.ts";
import { runtimeImports } from "./bundle-report.ts";
import { type BuildResult, buildLikeSst } from "./sst-node-builder.ts";

export const ROOT = resolve(import.meta.dirname, "..");
export const BUNDLES_DIR = join(ROOT, ".build", "functions");

export const cliVersion = (): string =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules/sst/package.json"), "utf8")) as { version: string })
    .version;

/** Where `spec`'s bundle is built. */
export const bundlePath = (spec: FunctionSpec): string => join(BUNDLES_DIR, spec.name, "bundle.mjs");

export interface FunctionBuild {
  result: BuildResult;
  /** What keeps it from working on Lambda: build errors, imports neither bundled nor installed. */
  problems: string[];
}

export async function buildFunction(spec: FunctionSpec): Promise<FunctionBuild> {
  const out = join(BUNDLES_DIR, spec.name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const nodejs = nodejsOptions(spec);
  const result = await buildLikeSst({
    root: ROOT,
    handler: spec.handler,
    runtime: RUNTIME,
    properties: {
      ...nodejs,
      install: Object.fromEntries(nodejs.install.map((p) => [p, "*"])),
      architecture: ARCHITECTURE,
    },
    out,
    cliVersion: cliVersion(),
  });
  if (result.errors.length > 0 || !result.metafile) return { result, problems: result.errors };
  writeFileSync(join(out, "meta.json"), JSON.stringify(result.metafile));
  // SST's build.go means to install a forced external (sharp) that the bundle imports, but it looks
  // for metafile imports of kind "external", a kind esbuild never writes: only the list is installed.
  const installed = new Set(result.install);
  const missing = runtimeImports(result.metafile).filter((name) => !installed.has(name));
  return {
    result,
    problems: missing.map((name) => `imports "${name}", which is neither bundled nor in nodejs.install`),
  };
}

/** The files a build depends on besides the bundle's inputs: the function list and the builder. */
const BUILD_FILES = ["infra/functions.ts", "scripts/sst-node-builder.ts", "package-lock.json"];

/** Whether `spec`'s bundle is missing or older than any file it was built from. */
export function isStale(spec: FunctionSpec): boolean {
  const bundle = bundlePath(spec);
  const meta = join(BUNDLES_DIR, spec.name, "meta.json");
  if (!existsSync(bundle) || !existsSync(meta)) return true;
  const built = statSync(bundle).mtimeMs;
  const inputs = Object.keys((JSON.parse(readFileSync(meta, "utf8")) as Metafile).inputs);
  return [...inputs, ...BUILD_FILES].some((input) => {
    const file = resolve(ROOT, input);
    return !existsSync(file) || statSync(file).mtimeMs > built;
  });
}

/**
 * The bundles of `keys`, built first where missing or stale (CI builds them all before the
 * tests; a fresh clone's `npm test` builds them here). Throws when one fails to build.
 */
export async function freshBundles<K extends FunctionKey>(keys: readonly K[]): Promise<Record<K, string>> {
  const paths = {} as Record<K, string>;
  for (const key of keys) {
    const spec: FunctionSpec = FUNCTIONS[key];
    if (isStale(spec)) {
      const { problems } = await buildFunction(spec);
      if (problems.length > 0) throw new Error(`${spec.name} does not build:\n  ${problems.join("\n  ")}`);
    }
    paths[key] = bundlePath(spec);
  }
  return paths;
}
