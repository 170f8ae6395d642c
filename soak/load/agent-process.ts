/**
 * The edge agent as a capture PC runs it: `photo-relay agent --plain --config <file>` in its own
 * process group (with the stand-in gphoto2 it starts for the tethered camera), at the other
 * machines' priority (other-machines.ts), SIGKILLed whole by the soak's fault and started again on
 * the same spool.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { niced } from "./other-machines.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const FAKE_GPHOTO2 = join(ROOT, "agent/test/fixtures/bin/gphoto2");

export interface AgentPlaces {
  dir: string;
  inboxes: [tethered: string, folder: string];
  card: string;
  spoolDir: string;
  processedDir: string;
}

export interface AgentProcess {
  readonly pid: number;
  readonly starts: number;
  kill(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function agentProcess(places: AgentPlaces, s3Endpoint: string, bucket: string): AgentProcess {
  mkdirSync(places.dir, { recursive: true });
  const config = join(places.dir, "photo-relay.agent.json");
  writeFileSync(
    config,
    JSON.stringify({
      inbox: places.inboxes,
      spoolDir: places.spoolDir,
      processedDir: places.processedDir,
      agentId: "soak-capture-pc",
      heartbeatSeconds: 5,
      stableMs: 300,
      scanIntervalMs: 1000,
      graceMs: 5000,
      requestTimeoutMs: 15_000,
      backoff: { baseMs: 250, maxMs: 2000 },
      spoolMinFreeMiB: 4,
      s3: {
        bucket,
        endpoint: s3Endpoint,
        forcePathStyle: true,
        accessKeyId: "soak",
        secretAccessKey: "soak",
      },
      log: { file: join(places.dir, "logs", "agent.log") },
      tether: { enabled: true, gphoto2: FAKE_GPHOTO2 },
    }),
  );
  const out = createWriteStream(join(places.dir, "agent-stdout.log"), { flags: "a" });
  let child: ChildProcess | undefined;
  let starts = 0;
  const exited = () => !child || child.exitCode !== null || child.signalCode !== null;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child?.pid) process.kill(-child.pid, signal);
    } catch {} // the whole group is gone
  };
  const waitExit = () =>
    exited() ? Promise.resolve() : new Promise<void>((r) => child?.once("exit", () => r()));
  return {
    get pid() {
      return child?.pid ?? 0;
    },
    get starts() {
      return starts;
    },
    kill() {
      if (!exited()) killGroup("SIGKILL"); // the agent and its gphoto2
    },
    async start() {
      await waitExit();
      starts++;
      // At the other machines' priority, and its gphoto2 with it (other-machines.ts).
      const [command, args] = niced(process.execPath, [
        join(ROOT, "agent/bin/photo-relay.ts"),
        "agent",
        "--plain",
        "--config",
        config,
      ]);
      child = spawn(command, args, {
        cwd: ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, FAKE_GPHOTO2_CARD: places.card, FAKE_GPHOTO2_NODE: process.execPath },
      });
      child.stdout?.pipe(out, { end: false });
      child.stderr?.pipe(out, { end: false });
      await new Promise<void>((resolveReady, reject) => {
        let seen = "";
        child?.stdout?.on("data", (d: Buffer) => {
          seen += d.toString();
          if (seen.includes("agent ready")) resolveReady();
        });
        child?.once("exit", (code) => reject(new Error(`the agent exited (${code}) before it was ready`)));
      });
    },
    /** SIGTERM to the agent and its gphoto2, then waits for the agent's exit, however long (stop-all.ts bounds it). */
    async stop() {
      if (!exited()) killGroup("SIGTERM");
      await waitExit();
      killGroup("SIGKILL"); // a gphoto2 that outlived its agent
      out.end();
    },
  };
}
