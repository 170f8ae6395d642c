/**
 * Stopping: `photo-relay agent` exits on SIGTERM at once, with code 0 and its spool consistent,
 * and no exit path waits on the inotify close watch. Its wait used to be a blocking read on a
 * libuv pool thread, which a process exit joins: a process that exited while watching (by
 * `process.exit`, an uncaught error) hung for good, and the soak with it (issue 14).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, open, readdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { StatusReport } from "../src/cli/status.ts";
import { until } from "./helpers/agent-events.ts";
import { agentProgram } from "./helpers/agent-program.ts";
import { jpeg } from "./helpers/media.ts";
import { spawnAgentProgram, stopChild, waitForLine } from "./helpers/processes.ts";
import { useS3BehindProxy } from "./helpers/proxied-s3.ts";
import { BUCKET } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const program = agentProgram();
const servers = useS3BehindProxy();
const CLOSE_WATCH = resolve(import.meta.dirname, "../src/intake/close-watch.ts");

/** The child's exit code, or a failure (and a SIGKILL) when it is still running after `ms`. */
async function exitWithin(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const timer = setTimeout(() => child.kill("SIGKILL"), ms);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) =>
    child.once("exit", (c, s) => r([c, s])),
  );
  clearTimeout(timer);
  if (signal === "SIGKILL") throw new Error(`still running ${ms} ms later (SIGKILLed)`);
  return code;
}

/** `photo-relay status --json`: how many files the running agent has waiting in its spool. */
async function waitingFiles(config: string): Promise<number> {
  const { stdout } = await program.run(["status", "--json", "--config", config]);
  return (JSON.parse(stdout) as StatusReport).waiting.files;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.runIf(process.platform === "linux")(`agent: stopping (${program.kind})`, () => {
  it("exits with 0 at once on SIGTERM while it watches folders, a writer holds a file and an upload waits", async () => {
    servers.proxy.setMode("pass");
    const ws = await workspace("agent-sigterm");
    const sub = join(ws.inbox, "card-a");
    await mkdir(sub);
    const { child, config } = await spawnAgentProgram(program, {
      endpoint: servers.proxy.endpoint,
      bucket: BUCKET,
      inbox: [ws.inbox],
      spoolDir: ws.spoolDir,
      processedDir: ws.processed,
      stableMs: 100,
      scanIntervalMs: 300,
      requestTimeoutMs: 1000,
      backoff: { baseMs: 100, maxMs: 500 },
    });
    const writer = await open(join(sub, "being-written.jpg"), "w");
    try {
      await waitForLine(child, /agent ready/);
      await writeFile(join(sub, "first.jpg"), jpeg(200_000));
      await waitForLine(child, /✔ .*first\.jpg/);
      servers.proxy.setMode("blackhole"); // the next upload hangs until the stop aborts it
      const waiting = jpeg(300_000);
      await writeFile(join(ws.inbox, "waiting.jpg"), waiting);
      await writer.write(jpeg(100_000).subarray(0, 50_000));
      await until(async () => (await waitingFiles(config)) === 1, 30_000, "status: one file waiting");

      child.kill("SIGTERM");
      expect(await exitWithin(child, 10_000)).toBe(0);

      // Consistent: the delivered file archived, the waiting one journaled with its spool copy,
      // the one still being written left in the inbox and nowhere else.
      expect(await readdir(ws.processed, { recursive: true })).toEqual(
        expect.arrayContaining([join("card-a", "first.jpg")]),
      );
      const journal = await readdir(join(ws.spoolDir, "journal"));
      expect(journal).toEqual([`${sha256(waiting)}.json`]);
      const record = JSON.parse(await readFile(join(ws.spoolDir, "journal", journal[0] as string), "utf8"));
      expect(await readFile(join(ws.spoolDir, "data", `${record.sha256}${record.ext}`))).toEqual(waiting);
      expect((await readdir(sub)).sort()).toEqual(["being-written.jpg"]);
    } finally {
      await writer.close();
      await stopChild(child, "SIGKILL");
      servers.proxy.setMode("pass");
    }
    await ws.remove();
  }, 60_000);

  it.each([
    ["process.exit()", "process.exit(3)", 3],
    ["an uncaught error", 'throw new Error("boom")', 1],
  ])("a process that ends by %s while its close watch waits exits", async (_, ending, code) => {
    const ws = await workspace("close-watch-exit");
    const source = `
      import { startCloseWatch } from ${JSON.stringify(CLOSE_WATCH)};
      const watch = await startCloseWatch([${JSON.stringify(ws.inbox)}], {
        writing() {}, closed() {}, folder() {}, overflow() {},
      });
      if (!watch) throw new Error("no close watch");
      console.log("watching");
      setTimeout(() => { ${ending} }, 50);`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr?.resume();
    await waitForLine(child, /watching/);
    expect(await exitWithin(child, 10_000)).toBe(code);
    await ws.remove();
  });
});
