/**
 * The spool's own disk full (the soak's fault: a tmpfs mounted for the test and filled by one
 * file): a complete photo is never refused for it. It stays in the inbox, the condition is
 * reported (`spool_full`), and it is taken once there is room, whether the free-space check, the
 * copy or the journal write meets the full disk. A file that truly is not a photo is still
 * refused, with its report. Mounting needs root; without it this file is skipped, because a folder
 * on the main disk cannot be filled safely.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { createLogger, rejectionKey } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { spoolDisk } from "../../soak/faults/spool-disk.ts";
import { type AgentOptions, startAgent } from "../src/index.ts";
import { collect, until, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg } from "./helpers/media.ts";
import { BUCKET, listOriginals, useS3 } from "./helpers/s3.ts";
import { type Workspace, workspace } from "./helpers/workspace.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const servers = useS3();
const KiB = 1024;

const options = (ws: Workspace): AgentOptions => ({
  inbox: [ws.inbox],
  spoolDir: ws.spoolDir,
  s3: { client: servers.s3.client, bucket: BUCKET },
  // No floor of its own: the full disk itself (ENOSPC) is what the agent meets.
  spoolMinFreeBytes: 0,
  stableMs: 100,
  scanIntervalMs: 300,
  graceMs: 600,
  heartbeatIntervalMs: 0,
  logger,
});

/** Puts `bytes` into the inbox whole (written beside it, renamed in), as a finished camera file. */
async function drop(ws: Workspace, name: string, bytes: Buffer): Promise<void> {
  await writeFile(join(ws.root, name), bytes);
  await rename(join(ws.root, name), join(ws.inbox, name));
}

describe.runIf(process.getuid?.() === 0)("agent: the spool's disk full", () => {
  /** The agent on a 8 MiB tmpfs spool; `run` fills it and checks; the mount is always undone. */
  async function onFullDisk(run: (ws: Workspace, disk: ReturnType<typeof spoolDisk>) => Promise<void>) {
    const ws = await workspace("agent-disk-full");
    await mkdir(ws.spoolDir);
    const disk = spoolDisk(ws.spoolDir, 8);
    try {
      expect(disk.mounted, disk.kind).toBe(true);
      await run(ws, disk);
    } finally {
      disk.unmount();
      await ws.remove();
    }
  }

  it("keeps a photo whose journal record no longer fits in the inbox, and takes it once there is room", async () => {
    await onFullDisk(async (ws, disk) => {
      const agent = startAgent(options(ws));
      const refused = collect(agent, "ignored");
      await agent.ready;
      // Exactly as many free pages as the photo needs: the copy fits, its journal record does not.
      const bytes = jpeg(256 * KiB);
      // The status file's first write takes its page before the disk is filled (later ones replace it).
      await until(() => existsSync(join(ws.spoolDir, "status.json")), 10_000, "status file");
      disk.fill(bytes.length);
      const failed = waitForEvents(agent, "failed", 1, 10_000);
      await drop(ws, "CAM_0036.JPG", bytes);
      const [event] = await failed;
      expect(event).toMatchObject({ code: "spool_full" });
      expect(agent.status()).toMatchObject({ waiting: { files: 0 }, lastError: { code: "spool_full" } });
      expect(await readdir(ws.inbox)).toEqual(["CAM_0036.JPG"]);
      const delivered = waitForEvents(agent, "delivered", 1, 20_000);
      disk.empty();
      await delivered;
      expect(refused).toEqual([]);
      expect(await readdir(ws.inbox)).toEqual([]);
      expect(await readdir(ws.root)).not.toContain("rejected");
      await agent.stop();
    });
  });

  it("refuses a file that is not a photo all the same, and its report reaches S3", async () => {
    await onFullDisk(async (ws, disk) => {
      const agent = startAgent({ ...options(ws), agentId: "full-disk-pc" });
      await agent.ready;
      disk.fill(0); // not a page left for the report's copy in the spool
      const rejected = waitForEvents(agent, "rejected", 1, 10_000);
      await drop(ws, "notes.txt", Buffer.from("not a photo"));
      const [event] = await rejected;
      expect(event).toMatchObject({ code: "unknown_kind", kept: "rejected-folder" });
      const key = rejectionKey("full-disk-pc", event?.reportId ?? "");
      const sent = async () =>
        servers.s3.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
          () => true,
          () => false,
        );
      await until(sent, 10_000, `report ${key} in S3`);
      await agent.stop();
    });
  });

  it("keeps a burst that overfills the disk in the inbox, and delivers all of it once there is room", async () => {
    await onFullDisk(async (ws, disk) => {
      const agent = startAgent(options(ws));
      const refused = collect(agent, "ignored");
      await agent.ready;
      disk.fill(600 * KiB); // room for one of them: the others meet the free-space check or ENOSPC mid-copy
      const failed = waitForEvents(agent, "failed", 1, 10_000);
      const names = ["CAM_0041.JPG", "CAM_0042.JPG", "CAM_0043.JPG"];
      await Promise.all(names.map((name) => drop(ws, name, jpeg(400 * KiB))));
      const [event] = await failed;
      expect(event).toMatchObject({ code: "spool_full" });
      const delivered = waitForEvents(agent, "delivered", names.length, 30_000);
      disk.empty();
      await delivered;
      expect(refused).toEqual([]);
      expect((await listOriginals(servers.s3.client)).size).toBeGreaterThanOrEqual(names.length);
      expect(await readdir(ws.root)).not.toContain("rejected");
      await agent.stop();
    });
  });
});
