/**
 * Whether some process still holds a file open for writing, asked of Linux's `/proc/<pid>/fd`
 * (where each descriptor links to its file) and `/proc/<pid>/fdinfo` (its open flags). It is the
 * last word before the agent refuses a file as incomplete: a writer that pauses between chunks
 * longer than the grace time (a loaded machine, a slow card reader) is alive as long as it holds
 * the file, and inotify cannot tell an agent that started after the writer opened it (a restart).
 * Processes this one may not inspect (another user's, unless it runs as root) are not seen; on
 * other systems the answer is always false, and the grace time alone decides.
 */
import { constants } from "node:fs";
import { readdir, readFile, readlink, realpath } from "node:fs/promises";

const PROC = "/proc";
/** The access-mode bits of open(2)'s flags (O_RDONLY, O_WRONLY, O_RDWR); Node's constants lack it. */
const O_ACCMODE = 0o3;

/** True when a process has `path` open for writing (write-only or read-write). Never throws. */
export async function isOpenForWriting(path: string): Promise<boolean> {
  if (process.platform !== "linux") return false;
  const target = await realpath(path).catch(() => undefined); // /proc names files by their real path
  if (!target) return false;
  const pids = (await readdir(PROC).catch(() => [] as string[])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const fds = await readdir(`${PROC}/${pid}/fd`).catch(() => [] as string[]);
    const holding = await Promise.all(
      fds.map(async (fd) => {
        const link = await readlink(`${PROC}/${pid}/fd/${fd}`).catch(() => "");
        return link === target && (await writable(pid, fd));
      }),
    );
    if (holding.includes(true)) return true;
  }
  return false;
}

/** Whether descriptor `fd` of `pid` was opened for writing: its `flags:` line, in octal. */
async function writable(pid: string, fd: string): Promise<boolean> {
  const info = await readFile(`${PROC}/${pid}/fdinfo/${fd}`, "utf8").catch(() => "");
  const flags = /^flags:\s*([0-7]+)$/m.exec(info)?.[1];
  return flags !== undefined && (Number.parseInt(flags, 8) & O_ACCMODE) !== constants.O_RDONLY;
}
