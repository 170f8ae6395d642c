/**
 * Running a system daemon for a test: free ports, foreground start with its output kept for the
 * failure message, readiness by connecting (never by sleeping), and stop by PID, children included.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { promisify } from "node:util";

export const run = promisify(execFile);

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Daemon {
  pid: number;
  /** Kills every process the daemon forked for its clients (their connections drop), not the daemon. */
  killSessions(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Spawns `command` in the foreground and resolves once `port` accepts connections (and, if given,
 * sends a first line starting with `banner`). Rejects with the daemon's own output if it exits first.
 */
export async function startDaemon(
  command: string,
  args: string[],
  port: number,
  options: { banner?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: options.env ?? process.env });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<never>((_, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(new Error(`${command} exited (${code ?? signal}) before listening on ${port}:\n${output}`)),
    );
  });
  exited.catch(() => undefined);
  const deadline = Date.now() + 10_000;
  while (!(await Promise.race([probe(port, options.banner), exited]))) {
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${command} did not listen on ${port} within 10 s:\n${output}`);
    }
    await new Promise((r) => setImmediate(r));
  }
  const pid = child.pid as number;
  return {
    pid,
    killSessions: async () => {
      for (const p of await descendants(pid)) kill(p);
    },
    stop: () => stopProcess(child),
  };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const children = await descendants(child.pid);
  const done = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  for (const p of children) kill(p);
  await done;
}

function kill(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** PIDs of every descendant of `pid`, read from /proc. */
export async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid) parents.set(Number(entry), ppid);
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parents) {
      if (parent === p) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Connects once; true when the port accepts (and greets with `banner`, if given). */
function probe(port: number, banner?: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once("error", () => setTimeout(() => done(false), 20));
    if (banner === undefined) socket.once("connect", () => done(true));
    else socket.once("data", (d) => done(d.toString().startsWith(banner)));
  });
}
