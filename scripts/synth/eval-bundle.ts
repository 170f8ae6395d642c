/**
 * The two programs SST's CLI makes of `sst.config.ts` before a deploy, built as it builds them
 * (`pkg/project/project.go` for `app()`, `pkg/project/run.go` + `pkg/js/js.go` for `run()`): esbuild
 * with SST's banner, externals, injected shim and provider globals, written into `.sst/platform/` so
 * `@pulumi/*` resolve from the platform's own `node_modules`, as in a real deploy.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as esbuild from "esbuild";

/** js.go's banner (the same shim as a function bundle's, opening with a newline). */
const BANNER = `
import { createRequire as topLevelCreateRequire } from 'module';
const require = topLevelCreateRequire(import.meta.url);
import { fileURLToPath as topLevelFileUrlToPath, URL as topLevelURL } from "url"
const __filename = topLevelFileUrlToPath(import.meta.url)
const __dirname = topLevelFileUrlToPath(new topLevelURL(".", import.meta.url))
`;

/** js.go's externals: the platform's own dependencies, loaded from `.sst/platform/node_modules`. */
const EXTERNAL = [
  "@pulumi/*",
  "undici",
  "@pulumiverse/*",
  "@sst-provider/*",
  "@aws-sdk/*",
  "esbuild",
  "archiver",
  "glob",
  "vite",
];

export interface App {
  name: string;
  stage: string;
  removal: string;
  home: string;
  protect: boolean;
  providers: Record<string, Record<string, unknown>>;
  [other: string]: unknown;
}

async function build(root: string, outfile: string, options: Partial<esbuild.BuildOptions>): Promise<void> {
  await esbuild.build({
    mainFields: ["module", "main"],
    format: "esm",
    platform: "node",
    sourcemap: "linked",
    nodePaths: [join(root, ".sst", "platform", "node_modules")],
    external: EXTERNAL,
    outfile,
    write: true,
    bundle: true,
    metafile: true,
    logLevel: "silent",
    ...options,
  });
}

/** js.go's "DisallowImports" (active when there are no globals, i.e. for `app()`): providers load only in `run()`. */
const disallowTopLevelImports: esbuild.Plugin = {
  name: "DisallowImports",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.importer.endsWith("/sst.config.ts") && args.kind === "import-statement")
        return {
          errors: [
            { text: `sst.config.ts: no top-level imports (found "${args.path}"); import inside run()` },
          ],
        };
      return undefined;
    });
  },
};

/** `app()` evaluated as project.go does, with its defaults (home provider present, removal "retain"). */
export async function evaluateApp(root: string, stage: string): Promise<App> {
  const outfile = join(root, ".sst", "platform", `sst.app.synth-${process.pid}.mjs`);
  try {
    await build(root, outfile, {
      banner: { js: `${BANNER}function $config(input) { return input }` },
      define: { $input: JSON.stringify({ stage }) },
      plugins: [disallowTopLevelImports],
      stdin: {
        contents: `import mod from '${join(root, "sst.config.ts")}';\nconsole.log("~j" + JSON.stringify(await mod.app({ stage: $input.stage || undefined })))`,
        resolveDir: root,
        sourcefile: "eval.ts",
        loader: "ts",
      },
    });
    const line = execFileSync(process.execPath, ["--no-warnings", outfile], { encoding: "utf8" })
      .split("\n")
      .find((l) => l.startsWith("~j"));
    if (!line) throw new Error("sst.config.ts: app() printed nothing");
    const app = { providers: {}, removal: "retain", ...JSON.parse(line.slice(2)), stage } as App;
    app.providers[app.home] ??= {};
    return app;
  } finally {
    rmSync(outfile, { force: true });
    rmSync(`${outfile}.map`, { force: true });
  }
}

/**
 * The deploy program: run.go's eval code (`run(mod.run)` from the platform's `auto/run.ts`), with
 * `$app`, `$cli`, `$dev` defined, the platform's `shim/run.js` injected and, through js.go's
 * "InjectGlobals" plugin, every file outside `.sst` prefixed with the provider imports.
 */
export async function buildDeployProgram(
  root: string,
  app: App,
  cli: object,
  outfile: string,
): Promise<void> {
  const platform = join(root, ".sst", "platform");
  const lock = JSON.parse(readFileSync(join(root, ".sst", "provider-lock.json"), "utf8")) as {
    alias: string;
    package: string;
  }[];
  const globals = [
    ...lock.map((entry) => `import * as ${entry.alias} from "${entry.package}";`),
    `import * as sst from "${join(platform, "src/components")}";`,
  ].join("\n");
  await build(root, outfile, {
    banner: { js: BANNER },
    define: { $app: JSON.stringify(app), $cli: JSON.stringify(cli), $dev: "false" },
    inject: [join(platform, "src/shim/run.js")],
    stdin: {
      contents: `import { run } from "${join(platform, "src/auto/run.ts")}";\nimport mod from '${join(root, "sst.config.ts")}';\nconst result = await run(mod.run);\nexport default result;`,
      resolveDir: root,
      sourcefile: "eval.ts",
      loader: "ts",
    },
    plugins: [
      {
        name: "InjectGlobals",
        setup(b) {
          b.onLoad({ filter: /\.(js|ts|jsx|tsx)$/ }, (args) => {
            if (args.path.startsWith(join(root, ".sst"))) return undefined;
            return { contents: `${globals}\n${readFileSync(args.path, "utf8")}`, loader: "default" };
          });
        },
      },
    ],
  });
}
