/**
 * The soak runs on one machine what an event spreads over several: the capture PC (the agent and
 * its gphoto2, the cameras writing their files), the phones, the user's web host (vsftpd, sshd).
 * Their CPU is not the API's: each has its own machine at an event, as each Lambda has its own CPU.
 * Here they share the cores with the stack and the probe, and the probe, timing `/status` and
 * `/photos`, mostly measured the run queue they made (a full soak: `/status` p95 249 ms for an
 * answer read from memory, at a load average of 8–10). So they run at a lower priority
 * ({@link OTHER_MACHINES_NICE}): they still get every cycle the stack and the probe leave, and a
 * thread woken for an API request, or the probe's own clock, gets a core first. The stack and the
 * probe keep the normal priority (the probe's own scheduling delay would count in its figure).
 */
import { setPriority } from "node:os";

/** The nice value of the processes that stand for other machines (0 is the default, 19 the lowest). */
export const OTHER_MACHINES_NICE = 10;

/**
 * `command args` run at {@link OTHER_MACHINES_NICE} through `nice(1)`, which then executes the
 * command in its place (same PID), so that every thread and child it starts inherits the priority
 * (lowering a running process from outside reaches only its main thread on Linux).
 */
export function niced(command: string, args: string[]): [string, string[]] {
  return ["nice", ["-n", String(OTHER_MACHINES_NICE), command, ...args]];
}

/**
 * Lowers a single-threaded daemon already running (vsftpd, sshd): the sessions it forks from now
 * on inherit its priority. A system that refuses leaves it as it was.
 */
export function lowerDaemon(pid: number): void {
  try {
    setPriority(pid, OTHER_MACHINES_NICE);
  } catch {}
}
