/**
 * SST 4.17's Node.js function builder (`pkg/runtime/node/build.go` in the Go CLI), replicated
 * option for option with the esbuild version the CLI embeds (0.27.2), so a bundle that builds here
 * builds in `sst deploy` and the other way round. Only the options this app uses are supported; any
 * other `nodejs` property is refused rather than silently built differently.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as esbuild from "esbuild";

/** `forceExternal` in build.go: never bundled, whatever the function lists. */
export const FORCE_EXTERNAL = ["sharp", "pg-native"];

/** `targetMap` in build.go. */
const TARGETS: Record<string, string> = {
  "nodejs24.x": "es2024",
  "nodejs22.x": "es2023",
  "nodejs20.x": "es2023",
};

/** `NODE_EXTENSIONS` in node.go: the handler file is the first of these that exists. */
const EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"];

/** The banner build.go prepends to every ESM bundle (`require`, `__filename`, `__dirname` for ESM). */
export const BANNER = [
  `import { createRequire as topLevelCreateRequire } from 'module';`,
  `const require = topLevelCreateRequire(import.meta.url);`,
  `import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"`,
  `const __filename = topLevelFileUrlToPath(import.meta.url)`,
  `const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))`,
  "", // `properties.Banner`, empty for us
].join("\n");

/** The `properties` SST's Function sends with `Runtime.Build` (its `nodejs` args plus architecture). */
export interface NodeProperties {
  install?: Record<string, string>;
  minify?: boolean;
  architecture?: string;
  [other: string]: unknown;
}

export interface BuildInput {
  /** The app root (the folder of `sst.config.ts`); handler paths are relative to it. */
  root: string;
  handler: string;
  runtime: string;
  properties: NodeProperties;
  /** SST's `<work>/artifacts/<FunctionID>-src`; the bundle is `bundle.mjs` in it. */
  out: string;
  /** The version of the `sst` CLI that deploys; the bundled `sst` package must match it. */
  cliVersion: string;
}

export interface BuildResult {
  /** `bundle.<export>`, as SST answers. */
  handler: string;
  outfile: string;
  /** SST's format: `<text> <file>:<line>:<column>`. Empty when the build succeeded. */
  errors: string[];
  metafile?: esbuild.Metafile;
  /** What `sst deploy` would `npm install` into the function's folder for Linux. */
  install: string[];
}

const SUPPORTED = new Set(["install", "minify", "architecture"]);

export async function buildLikeSst(input: BuildInput): Promise<BuildResult> {
  const unsupported = Object.keys(input.properties).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`nodejs.${unsupported.join(", nodejs.")}: not replicated`);
  const target = TARGETS[input.runtime];
  if (!target) throw new Error(`runtime ${input.runtime}: not a Node.js runtime SST 4.17 builds`);
  const exportName = input.handler.slice(input.handler.lastIndexOf(".") + 1);
  const result: BuildResult = {
    handler: `bundle.${exportName}`,
    outfile: join(input.out, "bundle.mjs"),
    errors: [],
    install: Object.keys(input.properties.install ?? {}),
  };
  const entry = handlerFile(input.root, input.handler);
  if (!entry) throw new Error(`Handler not found: ${input.handler}`);
  const minify = input.properties.minify === true;
  try {
    const built = await esbuild.build({
      entryPoints: [entry],
      platform: "node",
      external: [...FORCE_EXTERNAL, ...result.install],
      loader: {},
      keepNames: true,
      bundle: true,
      splitting: false,
      metafile: true,
      outfile: result.outfile,
      plugins: [sstVersionCheck(input.cliVersion)],
      sourcemap: "linked",
      write: true,
      format: "esm",
      target,
      mainFields: ["module", "main"],
      banner: { js: BANNER },
      minifyWhitespace: minify,
      minifySyntax: minify,
      minifyIdentifiers: minify,
      logLevel: "silent",
    });
    result.metafile = built.metafile;
  } catch (error) {
    if (!isBuildFailure(error)) throw error;
    result.errors = error.errors.map(
      (e) => e.text + (e.location ? ` ${e.location.file}:${e.location.line}:${e.location.column}` : ""),
    );
  }
  return result;
}

/** `getFile` in node.go. */
function handlerFile(root: string, handler: string): string | undefined {
  const base = handler.slice(0, handler.lastIndexOf("."));
  return EXTENSIONS.map((ext) => resolve(root, base + ext)).find((file) => existsSync(file));
}

/** The `sst-version-check` plugin of build.go: the `sst` package a function imports must be the CLI's. */
function sstVersionCheck(cliVersion: string): esbuild.Plugin {
  const skip = Symbol("sst-version-check");
  return {
    name: "sst-version-check",
    setup(build) {
      build.onResolve({ filter: /^sst$/ }, async (args) => {
        if (args.pluginData === skip) return undefined;
        const found = await build.resolve("sst", {
          resolveDir: args.resolveDir,
          importer: args.importer,
          kind: args.kind,
          pluginData: skip,
          namespace: args.namespace,
        });
        if (found.path) {
          const version = packageJsonAbove(found.path)?.version;
          if (version !== cliVersion)
            throw new Error(
              `The sst package your application is importing (${version}) does not match the sst cli version (${cliVersion}). Make sure the version of sst in package.json is correct across your entire repo.`,
            );
        }
        return { path: found.path };
      });
    },
  };
}

function packageJsonAbove(file: string): { version?: string } | undefined {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, "utf8"));
  }
  return undefined;
}

function isBuildFailure(error: unknown): error is esbuild.BuildFailure {
  return error instanceof Error && Array.isArray((error as Partial<esbuild.BuildFailure>).errors);
}
