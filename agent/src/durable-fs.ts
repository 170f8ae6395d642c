/**
 * Crash-safe file primitives. Every write that the agent later relies on goes through here:
 * data is fsync'd before it is renamed into place, and the directory is fsync'd after the rename,
 * so a power cut leaves either the old state or the new one, never a torn file.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, mkdir, open, readdir, rename, rm, unlink } from "node:fs/promises";
import { basename, dirname, extname, isAbsolute, join, relative, sep } from "node:path";

/** fsync a directory so a rename or unlink inside it survives a power cut (a no-op where unsupported, e.g. Windows). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, constants.O_RDONLY);
    await handle.sync();
  } catch (error) {
    // Windows cannot open or fsync directories; NTFS journals renames itself.
    if (!isCode(error, "EISDIR", "EPERM", "EACCES", "EINVAL")) throw error;
  } finally {
    await handle?.close();
  }
}

/** A unique temporary name inside `dir`. */
export function tempPath(dir: string, hint = "tmp"): string {
  return join(dir, `.${hint}-${process.pid}-${randomBytes(6).toString("hex")}`);
}

/** A name {@link tempPath} made: `.<hint>-<pid>-<12 hex>`. */
const TEMP_NAME = /^\..+-(\d+)-[0-9a-f]{12}$/;

/**
 * Removes the temp files an earlier process left in `dir` when it was killed between writing and
 * renaming (a SIGKILL, a power cut): nothing reads them, and a capture PC killed often would
 * gather one per kill. This process's own are left alone. Returns how many went.
 */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = name.match(TEMP_NAME)?.[1];
    if (pid === undefined || Number(pid) === process.pid) continue;
    await rm(join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

/**
 * Whether a write must survive a power cut (fsync'd), or only be atomic: readers see the old
 * contents or the new, never a torn file, while the machine stays up (a process crash keeps the
 * page cache). Writes after S3 verified a photo, and status snapshots, need only the latter.
 */
export interface Durability {
  durable?: boolean;
}

/** Writes `data` to `path` atomically: temp file, fsync, rename, fsync of the directory (no fsyncs with `durable: false`). */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  { durable = true }: Durability = {},
): Promise<void> {
  const dir = dirname(path);
  const temp = tempPath(dir, basename(path));
  try {
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(data);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    // A full disk (ENOSPC) fails the write: its temp file must not stay behind until a restart.
    await rm(temp, { force: true });
    throw error;
  }
  if (durable) await fsyncDir(dir);
}

/** Copies `from` to `to` durably (copy to a temp name, fsync, rename). */
export async function copyFileDurable(from: string, to: string): Promise<void> {
  const dir = dirname(to);
  const temp = tempPath(dir, basename(to));
  try {
    await copyFile(from, temp);
    const handle = await open(temp, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, to);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDir(dir);
}

/**
 * Moves a file, across volumes too (rename, else durable copy + unlink). Never overwrites:
 * when `to` exists, a counter is added before the extension (`a.jpg` → `a-1.jpg`). Returns the
 * final path. With `durable: false` the folder is not fsync'd: a power cut may undo the move.
 */
export async function moveFile(
  from: string,
  to: string,
  { durable = true }: Durability = {},
): Promise<string> {
  await mkdir(dirname(to), { recursive: true });
  const target = await freeName(to);
  try {
    await rename(from, target);
  } catch (error) {
    if (!isCode(error, "EXDEV", "EPERM")) throw error;
    await copyFileDurable(from, target);
    await unlink(from);
  }
  if (durable) await fsyncDir(dirname(target));
  return target;
}

async function freeName(path: string): Promise<string> {
  const ext = extname(path);
  const stem = path.slice(0, path.length - ext.length);
  for (let n = 0; ; n++) {
    const candidate = n === 0 ? path : `${stem}-${n}${ext}`;
    try {
      const handle = await open(candidate, "r");
      await handle.close();
    } catch (error) {
      if (isCode(error, "ENOENT")) return candidate;
      throw error;
    }
  }
}

/** Whether `path` is `dir` or inside it (also across Windows drives, where `relative` is absolute). */
export function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || !(rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel));
}

/** Whether `error` is a Node system error with one of `codes`. */
export function isCode(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && codes.includes(code);
}
