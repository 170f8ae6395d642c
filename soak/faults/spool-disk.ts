/**
 * The agent's spool on a disk of its own that the soak can fill: a tmpfs mounted for the run
 * (root in the sandbox may mount one), filled by one preallocated file to within half a megabyte (or as
 * asked), emptied again. A real full disk: the agent's own free-space check and ENOSPC both meet
 * it. Without the right to mount, the spool stays on the main disk and the fault is reported as
 * not injected.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statfsSync } from "node:fs";
import { join } from "node:path";

export interface SpoolDisk {
  dir: string;
  /** "tmpfs <size>" or why the spool is an ordinary folder. */
  kind: string;
  mounted: boolean;
  /** Fills the disk to within `leaveBytes` (default 512 KiB); returns the filler's size. */
  fill(leaveBytes?: number): number;
  empty(): void;
  unmount(): void;
}

export function spoolDisk(dir: string, sizeMiB: number): SpoolDisk {
  mkdirSync(dir, { recursive: true });
  let mounted = false;
  let kind: string;
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMiB}m,mode=0755`, "tmpfs", dir], {
      stdio: "pipe",
    });
    mounted = true;
    kind = `tmpfs ${sizeMiB} MiB`;
  } catch (error) {
    kind = `ordinary folder (mount refused: ${String((error as Error).message).split("\n")[0]})`;
  }
  const filler = join(dir, "soak-filler.bin");
  return {
    dir,
    kind,
    mounted,
    fill(leaveBytes = 512 * 1024) {
      if (!mounted) return 0;
      const { bavail, bsize } = statfsSync(dir);
      const bytes = Math.max(0, bavail * bsize - leaveBytes);
      // fallocate(1) takes the blocks without a byte passing through this process: filling from a
      // buffer would hold gigabytes in the soak's own memory (and past 4 GiB, not fit in one).
      try {
        execFileSync("fallocate", ["-l", String(bytes), filler], { stdio: "pipe" });
      } catch (error) {
        // The agent wrote meanwhile and the disk filled before the filler did: full is the point.
        if (!String((error as { stderr?: Buffer }).stderr ?? "").includes("No space left")) throw error;
      }
      return bytes;
    },
    empty: () => rmSync(filler, { force: true }),
    unmount() {
      if (mounted) execFileSync("umount", ["-l", dir], { stdio: "pipe" });
      mounted = false;
    },
  };
}
