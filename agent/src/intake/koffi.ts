/**
 * koffi (an FFI whose prebuilt N-API binaries ship inside its npm packages), from wherever this
 * process can have it: the npm package when the agent runs from source, or, in the single
 * executable (`npm run build:agent`), the `koffi.node` asset carried inside the executable. An addon
 * cannot be loaded from memory, so the asset is written to a private cache folder (named after its
 * SHA-256, checked again before every load) and loaded from there with `process.dlopen`.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { getRawAsset, isSea } from "node:sea";

/** The koffi build embedded by `scripts/build-agent.ts` (glibc x64: the official Node binary's own libc). */
export const KOFFI_ASSET = "koffi.node";

/** What the agent uses of koffi: loading a C library and declaring functions in it. */
export interface Koffi {
  load(path: string): { func(declaration: string): (...args: never[]) => unknown };
  version?: string;
}

export type KoffiLoad = { koffi: Koffi; from: string } | { error: string };

let loaded: Promise<KoffiLoad> | undefined;

/** Loads koffi once per process; never throws (the agent then works without close-write events). */
export function loadKoffi(): Promise<KoffiLoad> {
  loaded ??= (isSea() ? fromAsset() : fromPackage()).catch((error: unknown) => ({
    error: error instanceof Error ? error.message : String(error),
  }));
  return loaded;
}

async function fromPackage(): Promise<KoffiLoad> {
  const { default: koffi } = await import("koffi");
  return { koffi: koffi as unknown as Koffi, from: `koffi ${koffi.version} (npm package)` };
}

async function fromAsset(): Promise<KoffiLoad> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(getRawAsset(KOFFI_ASSET));
  } catch {
    return { error: "this executable carries no koffi build for this platform" };
  }
  const sha256 = hash(bytes);
  const dir = cacheDir();
  const file = join(dir, `koffi-${sha256.slice(0, 16)}.node`);
  if (!isIntact(file, sha256)) {
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, bytes, { mode: 0o700 });
    renameSync(partial, file);
    if (!isIntact(file, sha256)) throw new Error(`${file} does not hold the carried koffi build`);
  }
  const module = { exports: {} as Koffi };
  process.dlopen(module, file);
  return { koffi: module.exports, from: `koffi ${module.exports.version} (carried, loaded from ${file})` };
}

/**
 * `PHOTO_RELAY_CACHE_DIR`, systemd's `CacheDirectory=` (`CACHE_DIRECTORY`), `$XDG_CACHE_HOME` or
 * `~/.cache`, each with `photo-relay/`; created private, and refused when another user could write
 * to it (the addon loaded from it runs as this process).
 */
function cacheDir(env = process.env): string {
  const base =
    env.PHOTO_RELAY_CACHE_DIR ??
    env.CACHE_DIRECTORY?.split(":")[0] ??
    join(env.XDG_CACHE_HOME ?? join(homedir() || tmpdir(), ".cache"), "photo-relay");
  mkdirSync(base, { recursive: true, mode: 0o700 });
  const st = statSync(base);
  const uid = process.getuid?.();
  if ((uid !== undefined && st.uid !== uid) || st.mode & 0o022)
    throw new Error(`cache folder ${base} is writable by others or not ours: not loading code from it`);
  return base;
}

function isIntact(file: string, sha256: string): boolean {
  try {
    return hash(readFileSync(file)) === sha256;
  } catch {
    return false;
  }
}

const hash = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
