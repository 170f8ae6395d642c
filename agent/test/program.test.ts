/**
 * The agent program end to end, as a capture PC runs it (`photo-relay agent --plain`): delivery of
 * a burst of photos and a video, the spool through an outage that `status --json` reports, and
 * tethered capture. Run from source and, in the vitest project "agent-exe", as the single
 * executable alone in a folder with no Node reachable (helpers/agent-program.ts).
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StatusReport } from "../src/cli/status.ts";
import { until } from "./helpers/agent-events.ts";
import { agentProgram, FAKE_BIN } from "./helpers/agent-program.ts";
import { jpeg, mp4, nef } from "./helpers/media.ts";
import { spawnAgentProgram, stopChild, waitForLine } from "./helpers/processes.ts";
import { useS3BehindProxy } from "./helpers/proxied-s3.ts";
import { BUCKET, listOriginals, objectSha256 } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const MiB = 1024 * 1024;
const program = agentProgram();
const servers = useS3BehindProxy();

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** `photo-relay status --json`: what the running agent publishes. */
async function status(config: string): Promise<StatusReport> {
  return JSON.parse((await program.run(["status", "--json", "--config", config])).stdout);
}

describe(`agent: the program (${program.kind})`, () => {
  it("delivers a burst, spools through an outage that status reports, and drains when S3 is back", async () => {
    servers.proxy.setMode("pass");
    const ws = await workspace("agent-program");
    const { child, config } = await spawnAgentProgram(program, {
      endpoint: servers.proxy.endpoint,
      bucket: BUCKET,
      inbox: [ws.inbox],
      spoolDir: ws.spoolDir,
      processedDir: ws.processed,
      partSizeBytes: 5 * MiB,
      stableMs: 100,
      scanIntervalMs: 500,
      requestTimeoutMs: 1500, // notice the black hole quickly
      backoff: { baseMs: 100, maxMs: 1000 },
    });
    const sent = new Map<string, Buffer>();
    const drop = async (name: string, bytes: Buffer) => {
      sent.set(name, bytes);
      await writeFile(join(ws.inbox, name), bytes);
    };
    try {
      await waitForLine(child, /agent ready/);
      await drop("a0.jpg", jpeg(1 * MiB));
      await drop("a1.nef", nef(12 * MiB)); // three parts
      await drop("clip.mp4", mp4(2 * MiB));
      await until(async () => (await status(config)).delivered === 3, 30_000, "the first three delivered");

      servers.proxy.setMode("blackhole");
      for (let i = 0; i < 4; i++) await drop(`b${i}.jpg`, jpeg(1 * MiB));
      await until(
        async () => {
          const s = await status(config);
          return s.running && !s.online && s.waiting.files === 4;
        },
        30_000,
        "status: offline, 4 files waiting",
      );
      servers.proxy.setMode("refuse");
      expect(await status(config)).toMatchObject({ running: true, online: false, waiting: { files: 4 } });

      servers.proxy.setMode("pass");
      await until(async () => (await readdir(ws.inbox)).length === 0, 60_000, "the inbox drained");
      await until(async () => (await status(config)).online === true, 10_000, "status: online");
      expect(await status(config)).toMatchObject({
        running: true,
        online: true,
        delivered: sent.size,
        waiting: { files: 0 },
      });
    } finally {
      await stopChild(child);
    }

    const keys = await listOriginals(servers.s3.client);
    expect(keys.size).toBe(sent.size);
    for (const [name, bytes] of sent) {
      const ext = name.slice(name.lastIndexOf("."));
      const key = `originals/${sha256(bytes)}${ext}`;
      expect(keys.get(key), name).toBe(bytes.length);
      expect(await objectSha256(servers.s3.client, key), name).toBe(sha256(bytes));
      expect(await readFile(join(ws.processed, name))).toEqual(bytes);
    }
    await ws.remove();
  }, 120_000);

  it("agent --tether takes each shot from the camera (stand-in gphoto2) and delivers it", async () => {
    servers.proxy.setMode("pass");
    const ws = await workspace("agent-program-tether");
    const card = join(ws.root, "card");
    await mkdir(card);
    const shot = nef(300_000);
    await writeFile(join(card, "DSC_0042.NEF"), shot);
    const { child } = await spawnAgentProgram(
      program,
      { endpoint: servers.proxy.endpoint, bucket: BUCKET, inbox: [ws.inbox], spoolDir: ws.spoolDir },
      { args: ["--tether"], run: { path: [FAKE_BIN], env: { FAKE_GPHOTO2_CARD: card } } },
    );
    try {
      const [line] = await waitForLine(child, /✔ .*DSC_0042\.NEF → originals\/[0-9a-f]{64}\.nef/, 30_000);
      expect(line).toContain(`originals/${sha256(shot)}.nef`);
    } finally {
      await stopChild(child);
    }
    await ws.remove();
  });
});
