/** Child processes for the tests: fauxqs in its own process, and the agent, each stopped by its own PID. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import type { AgentProgram, RunOptions } from "./agent-program.ts";
import { BUCKET, s3Client } from "./s3.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

/** Resolves with the first stdout line matching `pattern`, or rejects when the child exits first. */
export function waitForLine(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    let buffered = "";
    const timer = setTimeout(
      () => fail(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = buffered.match(pattern);
      if (match) {
        cleanup();
        resolvePromise(match);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`process exited (${code}) before ${pattern}:\n${buffered}`));
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    const fail = (error: Error) => {
      cleanup();
      reject(error);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

export interface ExternalS3 {
  endpoint: string;
  stop(): Promise<void>;
}

/** `node node_modules/fauxqs/dist/server.js` on a random port, with the media bucket (local-servers.md §2). */
export async function startExternalFauxqs(): Promise<ExternalS3> {
  const dir = await mkdtemp(join(tmpdir(), "fauxqs-"));
  const init = join(dir, "init.json");
  await writeFile(init, JSON.stringify({ buckets: [BUCKET] }));
  const child = spawn(process.execPath, ["--no-warnings", join(ROOT, "node_modules/fauxqs/dist/server.js")], {
    env: { ...process.env, FAUXQS_PORT: "0", FAUXQS_INIT: init },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr?.resume();
  const [, port] = await waitForLine(child, /listening at http:\/\/127\.0\.0\.1:(\d+)/);
  child.stdout?.resume(); // fauxqs logs every request; keep the pipe drained
  const endpoint = `http://127.0.0.1:${port}`;
  const client = s3Client(endpoint);
  // The init config is applied after listen(): wait for the bucket itself.
  for (let i = 0; ; i++) {
    try {
      await client.send(new HeadBucketCommand({ Bucket: BUCKET }));
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  client.destroy();
  return { endpoint, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill(signal);
  await exited;
}

/**
 * Starts the agent in a child process. `withoutDacOverride` runs it (as root) without the
 * capabilities that let root read any file, so file permissions apply to it; unlike switching to
 * another user, it can still read the checkout wherever that lives (a 0700 temp folder, say).
 */
export function spawnAgentChild(options: object, { withoutDacOverride = false } = {}): ChildProcess {
  const command = [
    process.execPath,
    join(ROOT, "agent/test/fixtures/agent-child.ts"),
    JSON.stringify(options),
  ];
  const [file, ...args] = withoutDacOverride
    ? ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", ...command]
    : command;
  const child = spawn(file as string, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.on("data", (d) => {
    if (process.env.AGENT_CHILD_LOGS) process.stderr.write(`[agent] ${d}`);
  });
  return child;
}

/** What {@link spawnAgentProgram} writes into the agent's config file (names as in the config). */
export interface ProgramAgentOptions {
  endpoint: string;
  bucket: string;
  inbox: string[];
  spoolDir: string;
  processedDir?: string;
  partSizeBytes?: number;
  stableMs?: number;
  scanIntervalMs?: number;
  graceMs?: number;
  linkIntoSpool?: boolean;
  requestTimeoutMs?: number;
  backoff?: { baseMs?: number; maxMs?: number };
}

/**
 * The agent as a person starts it: `photo-relay agent --plain --config <file>` from `program`
 * (source or single executable, helpers/agent-program.ts), the config written beside the spool
 * folder, its JSON log in `logs/agent.log` there. It prints "agent ready" once it watches, then one
 * line per event (✔ delivered, ✖ failed, …). Returns the child and the config's path.
 */
export async function spawnAgentProgram(
  program: AgentProgram,
  { endpoint, bucket, partSizeBytes, ...options }: ProgramAgentOptions,
  { args = [], run = {} }: { args?: string[]; run?: RunOptions } = {},
): Promise<{ child: ChildProcess; config: string }> {
  const dir = dirname(options.spoolDir);
  await mkdir(dir, { recursive: true });
  const config = join(dir, "photo-relay.agent.json");
  await writeFile(
    config,
    JSON.stringify({
      ...options,
      ...(partSizeBytes && { partSizeMiB: partSizeBytes / (1024 * 1024) }),
      s3: { bucket, endpoint, forcePathStyle: true, accessKeyId: "test", secretAccessKey: "test" },
      log: { file: join(dir, "logs", "agent.log") },
    }),
  );
  const child = program.spawn(["agent", "--plain", "--config", config, ...args], run);
  child.stderr?.on("data", (d) => {
    if (process.env.AGENT_CHILD_LOGS) process.stderr.write(`[agent] ${d}`);
  });
  return { child, config };
}
