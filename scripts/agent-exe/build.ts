/**
 * The agent as one executable per platform (Node's single executable applications): the CLI bundled
 * by esbuild into one CommonJS file, a preparation blob written by the pinned Node itself, injected
 * into that Node's binary by postject. Rebuilds only what changed: a target whose bundle, assets,
 * Node version and injector are those of the executable in `dist/` is left as it is.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import * as esbuild from "esbuild";
import { inject } from "postject";
import { AGENT_NODE_FLAGS } from "../../agent/src/cli/node-flags.ts";
import { KOFFI_ASSET } from "../../agent/src/intake/koffi.ts";
import { type PackageWeight, packageWeights, runtimeImports } from "../bundle-report.ts";
import { hostTarget, NODE_VERSION, nodeBinary, type Target } from "./node-binary.ts";
import { fixChecksum, withoutSignature } from "./pe-file.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const DIST = join(ROOT, "dist");
const WORK = join(ROOT, ".build", "agent");
const ENTRY = join(ROOT, "agent/bin/photo-relay.ts");
/** The fuse Node looks for to know a blob was injected (`node_sea.cc`). */
export const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
export const SEA_RESOURCE = "NODE_SEA_BLOB";
/** The main script's name inside the blob. */
export const MAIN = "photo-relay.cjs";
/** Loaded at run time, never bundled: carried as an asset where it is used (Linux). */
const EXTERNAL = ["koffi"];

export const exeName = (target: Target) => `photo-relay-${target}${target.startsWith("win") ? ".exe" : ""}`;
export const exePath = (target: Target) => join(DIST, exeName(target));

export interface Bundle {
  code: Buffer;
  weights: PackageWeight[];
}

/** The CLI as one CommonJS file for Node 24; throws on any warning, native addon or import left over. */
export async function bundleAgent(): Promise<Bundle> {
  const result = await esbuild.build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    format: "cjs", // Node 24's single executables run CommonJS only
    target: "node24",
    mainFields: ["module", "main"], // the AWS SDK's ES builds, which tree-shake
    external: EXTERNAL,
    // main.ts reads it only when not a single executable; CommonJS has no import.meta.
    define: { "import.meta.dirname": "undefined" },
    minify: true,
    keepNames: true,
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "silent",
  });
  if (result.warnings.length) {
    const text = await esbuild.formatMessages(result.warnings, { kind: "warning" });
    throw new Error(`the agent bundle has warnings:\n${text.join("\n")}`);
  }
  const leftOver = runtimeImports(result.metafile).filter((name) => !EXTERNAL.includes(name));
  if (leftOver.length) throw new Error(`the agent bundle imports ${leftOver.join(", ")} at run time`);
  const weights = packageWeights(result.metafile, ROOT);
  const natives = weights.filter((w) => w.native || hasAddon(join(ROOT, "node_modules", w.name)));
  if (natives.length)
    throw new Error(`the bundle would carry native addons: ${natives.map((w) => w.name).join(", ")}`);
  const [output] = result.outputFiles;
  if (!output) throw new Error("esbuild wrote no output");
  return { code: Buffer.from(output.contents), weights };
}

/** A `.node` file anywhere in the package (prebuilds ship in many layouts). */
function hasAddon(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).some((f) => f.endsWith(".node"));
}

/** Files the executable carries beside its code (`node:sea` assets), by target. */
export function assetsFor(target: Target): Record<string, string> {
  if (target !== "linux-x64") return {};
  // glibc only: the official Node binary is linked against glibc, so is the process that loads it.
  const koffi = createRequire(join(ROOT, "agent/package.json")).resolve("koffi");
  const prebuilt = createRequire(koffi).resolve("@koromix/koffi-linux-x64/package.json");
  return { [KOFFI_ASSET]: join(dirname(prebuilt), "linux_x64/koffi.node") };
}

export interface BuiltExe {
  target: Target;
  path: string;
  bytes: number;
  sha256: string;
  /** SHA-256 of the injected preparation blob. */
  blobSha256: string;
  rebuilt: boolean;
}

/** Builds (or keeps, when up to date) the executable of each target into `dist/`. */
export async function buildAgentExes(
  targets: readonly Target[],
  { force = false } = {},
): Promise<{ bundle: Bundle; exes: BuiltExe[] }> {
  const host = hostTarget();
  if (!host)
    throw new Error(
      `cannot build here: the blob must be written by Node on ${process.platform}-${process.arch}`,
    );
  const bundle = await bundleAgent();
  mkdirSync(DIST, { recursive: true });
  const exes: BuiltExe[] = [];
  for (const target of targets) exes.push(await buildOne(target, host, bundle.code, force));
  writeChecksums();
  return { bundle, exes };
}

async function buildOne(target: Target, host: Target, code: Buffer, force: boolean): Promise<BuiltExe> {
  const assets = assetsFor(target);
  // Relative names: the blob records the main script's path (no build folder leaks into it).
  const config = {
    main: MAIN,
    output: "sea.blob",
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    // V8's code cache is only valid for the binary that wrote it: the host's own target.
    useCodeCache: target === host,
    execArgv: [...AGENT_NODE_FLAGS],
    assets,
  };
  // Everything the executable is made of, this builder's own code included.
  const key = createHash("sha256").update(
    JSON.stringify({ NODE_VERSION, postject: postjectVersion(), config }),
  );
  for (const file of readdirSync(import.meta.dirname).sort())
    key.update(readFileSync(join(import.meta.dirname, file)));
  key.update(code);
  for (const file of Object.values(assets)) key.update(readFileSync(file));
  const state = join(WORK, `${target}.json`);
  const digest = key.digest("hex");
  const path = exePath(target);
  const previous = readState(state);
  if (
    !force &&
    previous?.key === digest &&
    existsSync(path) &&
    sha256(readFileSync(path)) === previous.exe.sha256
  )
    return { ...previous.exe, rebuilt: false };

  mkdirSync(WORK, { recursive: true });
  const work = mkdtempSync(join(WORK, `.build-${target}-`));
  try {
    writeFileSync(join(work, MAIN), code);
    writeFileSync(join(work, "sea-config.json"), JSON.stringify(config));
    execFileSync(nodeBinary(host, WORK), ["--experimental-sea-config", "sea-config.json"], {
      cwd: work,
      stdio: "ignore",
    });
    const blobBytes = readFileSync(join(work, config.output));
    const node = readFileSync(nodeBinary(target, WORK));
    const exe = join(work, exeName(target));
    writeFileSync(exe, target === "win-x64" ? withoutSignature(node) : node);
    await inject(exe, SEA_RESOURCE, blobBytes, { sentinelFuse: SEA_FUSE });
    if (target === "win-x64") {
      const bytes = readFileSync(exe);
      fixChecksum(bytes);
      writeFileSync(exe, bytes);
    }
    chmodSync(exe, 0o755);
    const bytes = readFileSync(exe);
    const result = {
      target,
      path,
      bytes: bytes.length,
      sha256: sha256(bytes),
      blobSha256: sha256(blobBytes),
    };
    renameSync(exe, path);
    writeFileSync(state, JSON.stringify({ key: digest, exe: result }, null, 2));
    return { ...result, rebuilt: true };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `dist/SHA256SUMS` for every executable in `dist/` (`sha256sum -c SHA256SUMS` checks a download). */
function writeChecksums(): void {
  const lines = (["linux-x64", "win-x64"] as const)
    .filter((t) => existsSync(exePath(t)))
    .map((t) => `${sha256(readFileSync(exePath(t)))}  ${exeName(t)}\n`);
  writeFileSync(join(DIST, "SHA256SUMS"), lines.join(""));
}

function readState(file: string): { key: string; exe: Omit<BuiltExe, "rebuilt"> } | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

const postjectVersion = () =>
  (JSON.parse(readFileSync(join(ROOT, "node_modules/postject/package.json"), "utf8")) as { version: string })
    .version;

export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
