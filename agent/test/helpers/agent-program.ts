/**
 * The agent program that the process tests run: `node agent/bin/photo-relay.ts` (the source run),
 * or the single executable when the vitest project "agent-exe" built one (`exe-setup.ts`) or
 * `PHOTO_RELAY_AGENT_EXE` names one. The executable sits alone in an empty folder and runs there
 * with an environment in which no `node` and no `node_modules` can be found: PATH holds only the
 * folders a test asks for (the stand-in gphoto2), HOME is a folder of its own.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { inject } from "vitest";
import { AGENT_NODE_FLAGS } from "../../src/cli/node-flags.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The single executable, copied alone into an empty folder (set by `exe-setup.ts`). */
    agentExe?: string;
    /** HOME for the executable's runs: its koffi cache lands under it. */
    agentExeHome?: string;
  }
}

const ROOT = resolve(import.meta.dirname, "../../..");
const BIN = join(ROOT, "agent/bin/photo-relay.ts");
/** The stand-in gphoto2 runs on Node (it is the camera, not the agent). */
export const FAKE_BIN = join(ROOT, "agent/test/fixtures/bin");
const runFile = promisify(execFile);

export interface RunOptions {
  /** Folders put on PATH, first. */
  path?: string[];
  env?: Record<string, string>;
}

export interface AgentProgram {
  kind: "source" | "exe";
  /** The program and its leading arguments, as a service runs it. */
  command: [string, ...string[]];
  /** The environment of one run. */
  env(options?: RunOptions): NodeJS.ProcessEnv;
  run(args: string[], options?: RunOptions): Promise<{ stdout: string; stderr: string }>;
  spawn(args: string[], options?: RunOptions): ChildProcess;
}

export function agentProgram(): AgentProgram {
  const exe = inject("agentExe") ?? process.env.PHOTO_RELAY_AGENT_EXE;
  const command: [string, ...string[]] = exe ? [resolve(exe)] : [process.execPath, ...AGENT_NODE_FLAGS, BIN];
  const cwd = exe ? dirname(resolve(exe)) : ROOT;
  const home = exe && (inject("agentExeHome") ?? mkdtempSync(join(tmpdir(), "agent-exe-home-")));
  const env = (options: RunOptions = {}): NodeJS.ProcessEnv => {
    const path = options.path ?? [];
    const base = home
      ? { PATH: path.join(delimiter), HOME: home }
      : { ...process.env, PATH: [...path, dirname(process.execPath), process.env.PATH].join(delimiter) };
    return { ...base, FAKE_GPHOTO2_NODE: process.execPath, ...options.env };
  };
  if (exe) assertAlone(resolve(exe), env({ path: [FAKE_BIN] }));
  const [file, ...leading] = command;
  return {
    kind: exe ? "exe" : "source",
    command,
    env,
    run: (args, options) => runFile(file, [...leading, ...args], { cwd, env: env(options) }),
    spawn: (args, options) =>
      spawn(file, [...leading, ...args], { cwd, env: env(options), stdio: ["ignore", "pipe", "pipe"] }),
  };
}

/** The executable must work where Node was never installed: no `node` on its PATH, no node_modules above it. */
function assertAlone(exe: string, env: NodeJS.ProcessEnv): void {
  const found = spawnSync("/bin/sh", ["-c", "command -v node"], { env, encoding: "utf8" });
  if (found.status === 0) throw new Error(`node is reachable from the executable's PATH: ${found.stdout}`);
  for (let dir = dirname(exe); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "node_modules")))
      throw new Error(`${dir}/node_modules is reachable from ${exe}`);
    if (dirname(dir) === dir) break;
  }
}
