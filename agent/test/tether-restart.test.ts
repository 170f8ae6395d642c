/**
 * Tethering across crashes (issue 14's soak lost a tethered shot this way): the agent and its
 * gphoto2 are SIGKILLed while S3 is unreachable, the camera keeps shooting while the agent starts
 * again, and every shot on the card still ends up in S3 and in `processed/` once S3 is back.
 * The stand-in camera takes a moment to open each session (FAKE_GPHOTO2_OPEN_MS), as a real one
 * does: a shot landing between the catch-up's look at the card and the tethered wait must be
 * downloaded all the same.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { until } from "./helpers/agent-events.ts";
import { agentProgram, FAKE_BIN } from "./helpers/agent-program.ts";
import { jpeg } from "./helpers/media.ts";
import { spawnAgentProgram, stopChild, waitForLine } from "./helpers/processes.ts";
import { useS3BehindProxy } from "./helpers/proxied-s3.ts";
import { BUCKET, listOriginals } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const program = agentProgram();
const servers = useS3BehindProxy();
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** A shot lands on the card atomically (the camera finished writing it). */
async function shoot(card: string, name: string, bytes: Buffer): Promise<void> {
  const temp = join(dirname(card), `.${name}`);
  await writeFile(temp, bytes);
  await rename(temp, join(card, name));
}

/** The PIDs of `pid`'s child processes (Linux: /proc/<pid>/task/<tid>/children). */
async function childrenOf(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(
    tasks.map((t) => readFile(`/proc/${pid}/task/${t}/children`, "utf8").catch(() => "")),
  );
  return lists.flatMap((l) => l.split(/\s+/).filter(Boolean).map(Number));
}

describe(`agent: tethering across crashes (${program.kind})`, () => {
  it("loses no shot taken while the agent and its gphoto2 restart during an S3 outage", async () => {
    servers.proxy.setMode("pass");
    const ws = await workspace("agent-tether-restart");
    const card = join(ws.root, "card");
    await mkdir(card);
    const shots = new Map<string, string>(); // name → sha256
    let n = 0;
    const next = async () => {
      const name = `DSC_${String(++n).padStart(4, "0")}.JPG`;
      const bytes = jpeg(150_000 + n);
      shots.set(name, sha256(bytes));
      await shoot(card, name, bytes);
    };
    await next();
    const start = () =>
      spawnAgentProgram(
        program,
        {
          endpoint: servers.proxy.endpoint,
          bucket: BUCKET,
          inbox: [ws.inbox],
          spoolDir: ws.spoolDir,
          processedDir: ws.processed,
          scanIntervalMs: 500,
          requestTimeoutMs: 2_000,
          backoff: { baseMs: 100, maxMs: 500 },
        },
        {
          args: ["--tether"],
          run: { path: [FAKE_BIN], env: { FAKE_GPHOTO2_CARD: card, FAKE_GPHOTO2_OPEN_MS: "800" } },
        },
      );
    const log = join(dirname(ws.spoolDir), "logs", "agent.log");
    const tethered = async () =>
      ((await readFile(log, "utf8").catch(() => "")).match(/"message":"tethered"/g) ?? []).length;
    let { child } = await start();
    try {
      await waitForLine(child, /✔ .*DSC_0001\.JPG/, 30_000);
      await until(async () => (await tethered()) >= 1, 20_000, "tethered");

      servers.proxy.setMode("refuse"); // S3 unreachable from here on, through the crash
      await next();
      await until(
        async () => (await readdir(ws.inbox)).some((f) => f.endsWith("DSC_0002.JPG")),
        10_000,
        "0002 downloaded",
      );
      // The capture PC crashes: the agent and its gphoto2 die at once (no clean stop of either).
      const gphoto2 = await childrenOf(child.pid as number);
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      for (const pid of gphoto2) process.kill(pid, "SIGKILL");
      await exited;

      // Restarted while the camera keeps shooting (every 150 ms for 3 s, then one more later).
      ({ child } = await start());
      for (let i = 0; i < 20; i++) {
        await next();
        await new Promise((r) => setTimeout(r, 150));
      }
      await until(async () => (await tethered()) >= 2, 20_000, "tethered again");
      await next();
      servers.proxy.setMode("pass");

      const archivedIds = async () => {
        const ids = new Set<string>();
        for (const f of await readdir(ws.processed).catch(() => [] as string[]))
          ids.add(sha256(await readFile(join(ws.processed, f))));
        return ids;
      };
      const expected = new Set(shots.values());
      await until(
        async () => {
          const inS3 = await listOriginals(servers.s3.client);
          const archived = await archivedIds();
          return [...expected].every((id) => inS3.has(`originals/${id}.jpg`) && archived.has(id));
        },
        45_000,
        "every shot in S3 and archived",
      ).catch(() => undefined);
      const inS3 = await listOriginals(servers.s3.client);
      const archived = await archivedIds();
      const missing = [...shots].filter(([, id]) => !inS3.has(`originals/${id}.jpg`)).map(([name]) => name);
      const unarchived = [...shots].filter(([, id]) => !archived.has(id)).map(([name]) => name);
      expect({ missing, unarchived }).toEqual({ missing: [], unarchived: [] });
    } finally {
      const gphoto2 = await childrenOf(child.pid as number);
      await stopChild(child);
      for (const pid of gphoto2) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {}
      }
    }
    await ws.remove();
  }, 120_000);
});
