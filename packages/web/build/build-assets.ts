/**
 * Bundles the browser pages with esbuild into one JSON file, `dist/assets.json`, that the API
 * imports: the same bytes are served by the Lambda (esbuild inlines the JSON into its bundle) and by
 * the local stack, with no CDN and no files to copy beside the function. Each asset carries its
 * type, an ETag and a brotli copy; names carry a content hash so browsers may cache them forever.
 *
 * Runs on `npm ci` (root `prepare`), before `npm start` and `npm test`, and in CI. Takes < 1 s.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import * as esbuild from "esbuild";
import type { Asset, AssetBundle } from "./asset-bundle.ts";

const root = join(import.meta.dirname, "..");
const ASSET_PREFIX = "/app/assets/";

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
};

const common = {
  bundle: true,
  minify: true,
  format: "esm" as const,
  target: ["chrome110", "safari16", "firefox115"],
  jsx: "automatic" as const,
  jsxImportSource: "preact",
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  write: false as const,
  metafile: true as const,
  legalComments: "none" as const,
  logLevel: "warning" as const,
  absWorkingDir: root,
} satisfies esbuild.BuildOptions;

export async function buildAssets(): Promise<AssetBundle> {
  const assets: Record<string, Asset> = {};
  const add = (file: esbuild.OutputFile) => {
    const path = `${ASSET_PREFIX}${basename(file.path)}`;
    assets[path] = asset(file.contents, TYPES[file.path.slice(file.path.lastIndexOf("."))] ?? "");
    return path;
  };

  // The hashing worker first: the pages need its hashed URL.
  const worker = await esbuild.build({
    ...common,
    entryPoints: { "hash-worker": "src/upload/hash-worker.ts" },
    outdir: "out",
  });
  const workerPath = add(only(worker.outputFiles, ".js"));

  const pages = await esbuild.build({
    ...common,
    entryPoints: {
      dashboard: "src/pages/dashboard.tsx",
      upload: "src/pages/upload.tsx",
    },
    outdir: "out",
    splitting: true,
    define: { HASH_WORKER_URL: JSON.stringify(workerPath) },
  });
  for (const file of pages.outputFiles) add(file);

  const entry = (name: string) => {
    const outputs = Object.entries(pages.metafile.outputs);
    const [js, meta] = outputs.find(([, o]) => o.entryPoint === `src/pages/${name}.tsx`) ?? [];
    if (!js || !meta) throw new Error(`no output for the ${name} page`);
    return {
      js: `${ASSET_PREFIX}${basename(js)}`,
      css: meta.cssBundle && `${ASSET_PREFIX}${basename(meta.cssBundle)}`,
    };
  };
  const dashboard = entry("dashboard");
  const upload = entry("upload");
  const bundle: AssetBundle = {
    assets,
    pages: {
      dashboard: shell("Dashboard", dashboard),
      upload: shell("Upload", upload),
      guest: shell("Upload photos", upload),
    },
    sizes: {
      dashboard: sizeOf(assets, dashboard, pages.metafile),
      upload: sizeOf(assets, upload, pages.metafile),
      guest: sizeOf(assets, upload, pages.metafile),
    },
  };
  return bundle;
}

function shell(title: string, { js, css }: { js: string; css: string | undefined }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} · photo-relay</title>
${css ? `<link rel="stylesheet" href="${css}">` : ""}
<script type="module" src="${js}"></script>
</head>
<body>
<div id="root"><noscript>photo-relay needs JavaScript.</noscript></div>
</body>
</html>
`;
}

function asset(bytes: Uint8Array, type: string): Asset {
  const etag = `"${createHash("sha256").update(bytes).digest("base64url").slice(0, 22)}"`;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  return {
    type,
    body: Buffer.from(bytes).toString("base64"),
    ...(br.length < bytes.length * 0.9 && { br: br.toString("base64") }),
    etag,
  };
}

/** The page's entry script, the chunks it imports, and its styles. */
function sizeOf(
  assets: Record<string, Asset>,
  page: { js: string; css: string | undefined },
  metafile: esbuild.Metafile,
): { raw: number; br: number } {
  const paths = new Set<string>([page.js, ...(page.css ? [page.css] : [])]);
  const visit = (path: string) => {
    const output = metafile.outputs[`out/${basename(path)}`];
    for (const imported of output?.imports ?? []) {
      const next = `${ASSET_PREFIX}${basename(imported.path)}`;
      if (!paths.has(next)) {
        paths.add(next);
        visit(next);
      }
    }
  };
  visit(page.js);
  let raw = 0;
  let br = 0;
  for (const path of paths) {
    const a = assets[path];
    if (!a) continue;
    const size = Buffer.byteLength(a.body, "base64");
    raw += size;
    br += a.br ? Buffer.byteLength(a.br, "base64") : size;
  }
  return { raw, br };
}

function only(files: esbuild.OutputFile[], ext: string): esbuild.OutputFile {
  const file = files.find((f) => f.path.endsWith(ext));
  if (!file) throw new Error(`esbuild produced no ${ext} file`);
  return file;
}

if (import.meta.main) {
  const started = performance.now();
  const bundle = await buildAssets();
  const out = join(root, "dist", "assets.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(bundle));
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  const sizes = Object.entries(bundle.sizes)
    .map(([name, s]) => `${name} ${kb(s.raw)} (${kb(s.br)} brotli)`)
    .join(", ");
  process.stdout.write(`web assets built in ${Math.round(performance.now() - started)} ms: ${sizes}\n`);
}
