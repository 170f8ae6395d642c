/**
 * Bad input: zero-byte, unreadable and vanished files, a non-media file, a full spool disk and wrong
 * S3 credentials each get a clear reason and a counted state; the agent keeps running and nothing
 * else is lost.
 */

import { execFile } from "node:child_process";
import { chmod, mkdir, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { createLogger } from "@photo-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AgentOptions, startAgent } from "../src/index.ts";
import { collect, until, waitForEvents } from "./helpers/agent-events.ts";
import { startAuthGateway } from "./helpers/auth-gateway.ts";
import { jpeg } from "./helpers/media.ts";
import { spawnAgentChild, stopChild, waitForLine } from "./helpers/processes.ts";
import { BUCKET, gateCommand, listOriginals, s3Client, startS3, type TestS3 } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const sh = promisify(execFile);
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

const base = (ws: { inbox: string; spoolDir: string }): AgentOptions => ({
  inbox: [ws.inbox],
  spoolDir: ws.spoolDir,
  s3: { client: s3.client, bucket: BUCKET },
  stableMs: 100,
  scanIntervalMs: 300,
  graceMs: 500,
  logger,
});

describe("agent: bad input", () => {
  it("counts zero-byte, non-media and vanished files as ignored, and still delivers the good one", async () => {
    const ws = await workspace("agent-bad");
    const agent = startAgent({ ...base(ws), stableMs: 600 });
    const ignored = collect(agent, "ignored");
    await agent.ready;
    const done = waitForEvents(agent, "ignored", 3);
    const good = waitForEvents(agent, "delivered", 1);
    await writeFile(join(ws.inbox, "zero.jpg"), "");
    await writeFile(join(ws.inbox, "readme.pdf"), "%PDF-1.7 not media");
    await writeFile(join(ws.inbox, "vanishing.jpg"), jpeg(10_000));
    await writeFile(join(ws.inbox, "good.jpg"), jpeg(10_000));
    await until(async () => (await readdir(ws.inbox)).includes("vanishing.jpg"));
    // Deleted while it is still inside the stability window, before it could be spooled.
    await new Promise((r) => setTimeout(r, 250)); // lets the agent see the file once before it vanishes
    await rm(join(ws.inbox, "vanishing.jpg"));
    await done;
    await good;
    expect(ignored.map((e) => e.code).sort()).toEqual(["empty", "unsupported", "vanished"]);
    expect(agent.status()).toMatchObject({ ignored: 3, delivered: 1, failed: 0 });
    await agent.stop();
  });

  it("delivers from the spool when the original is deleted after spooling", async () => {
    const ws = await workspace("agent-bad");
    const client = s3Client(s3.endpoint);
    const gate = gateCommand(client, "CreateMultipartUploadCommand");
    const agent = startAgent({ ...base(ws), s3: { client, bucket: BUCKET } });
    await agent.ready;
    const delivered = waitForEvents(agent, "delivered", 1);
    await writeFile(join(ws.inbox, "deleted.jpg"), jpeg(20_000));
    await until(() => agent.status().inFlight.length === 1, 10_000, "upload started");
    await rm(join(ws.inbox, "deleted.jpg"));
    gate.release();
    const [event] = await delivered;
    expect((await listOriginals(s3.client)).has(event?.key ?? "")).toBe(true);
    await agent.stop();
    client.destroy();
  });

  it("reports a full spool disk and leaves the original in the inbox", async () => {
    const ws = await workspace("agent-bad");
    const agent = startAgent({ ...base(ws), spoolMinFreeBytes: Number.MAX_SAFE_INTEGER });
    await agent.ready;
    const failed = waitForEvents(agent, "failed", 1);
    await writeFile(join(ws.inbox, "nospace.jpg"), jpeg(10_000));
    const [event] = await failed;
    expect(event).toMatchObject({ code: "spool_full" });
    expect(event?.reason).toMatch(/spool disk full/);
    expect(agent.status()).toMatchObject({
      failed: 1,
      waiting: { files: 0 },
      lastError: { code: "spool_full" },
    });
    expect(await readdir(ws.inbox)).toEqual(["nospace.jpg"]);
    await agent.stop();
  });

  it("fills a real 4 MiB spool volume (as root; else the free-space floor), reports it and loses nothing", async () => {
    const ws = await workspace("agent-bad");
    const root = process.getuid?.() === 0;
    await mkdir(ws.spoolDir);
    if (root) await sh("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", ws.spoolDir]);
    try {
      const agent = startAgent({ ...base(ws), spoolMinFreeBytes: root ? 0 : Number.MAX_SAFE_INTEGER });
      await agent.ready;
      const failed = waitForEvents(agent, "failed", 1);
      // Two 3 MB files for 4 MiB: the second hits ENOSPC (or the free-space check) until the first is released.
      const delivered = root ? waitForEvents(agent, "delivered", 2) : undefined;
      await writeFile(join(ws.inbox, "one.jpg"), jpeg(3 * 1024 * 1024));
      await writeFile(join(ws.inbox, "two.jpg"), jpeg(3 * 1024 * 1024));
      const [event] = await failed;
      expect(event).toMatchObject({ code: "spool_full" });
      expect(event?.reason).toMatch(/spool disk full/);
      if (root) {
        await delivered;
        expect(await readdir(ws.inbox)).toEqual([]);
      } else {
        expect(agent.status()).toMatchObject({ waiting: { files: 0 }, lastError: { code: "spool_full" } });
        expect((await readdir(ws.inbox)).sort()).toEqual(["one.jpg", "two.jpg"]);
      }
      await agent.stop();
    } finally {
      if (root) await sh("umount", [ws.spoolDir]);
    }
  });

  it("keeps files in the spool under wrong S3 credentials and delivers them once the credentials are right", async () => {
    const gateway = await startAuthGateway(s3.endpoint, "right-key");
    const ws = await workspace("agent-bad");
    const wrong = s3Client(gateway.endpoint, "wrong-key");
    const agent = startAgent({ ...base(ws), s3: { client: wrong, bucket: BUCKET } });
    await agent.ready;
    const failed = waitForEvents(agent, "failed", 1);
    await writeFile(join(ws.inbox, "creds.jpg"), jpeg(10_000));
    const [event] = await failed;
    expect(event).toMatchObject({ code: "s3_auth" });
    expect(event?.reason).toMatch(/check the credentials/);
    expect(agent.status()).toMatchObject({ online: true, failed: 1, waiting: { files: 1 } });
    await agent.stop();

    const right = s3Client(gateway.endpoint, "right-key");
    const fixed = startAgent({ ...base(ws), s3: { client: right, bucket: BUCKET } });
    const delivered = waitForEvents(fixed, "delivered", 1);
    await fixed.ready;
    await delivered;
    expect(await readdir(ws.inbox)).toEqual([]);
    await fixed.stop();
    wrong.destroy();
    right.destroy();
    await gateway.close();
  });

  it("counts an unreadable file as failed with its reason (as root: without root's read-anything capabilities)", async () => {
    const ws = await workspace("agent-bad");
    await writeFile(join(ws.inbox, "locked.jpg"), jpeg(10_000));
    await chmod(join(ws.inbox, "locked.jpg"), 0o000);
    await writeFile(join(ws.inbox, "fine.jpg"), jpeg(10_000));
    if (process.getuid?.() === 0) {
      // Root reads everything: drop the capabilities that let it, so the file's mode applies.
      const child = spawnAgentChild(
        {
          endpoint: s3.endpoint,
          bucket: BUCKET,
          inbox: [ws.inbox],
          spoolDir: ws.spoolDir,
          stableMs: 100,
          scanIntervalMs: 300,
          graceMs: 500,
        },
        { withoutDacOverride: true },
      );
      const failed = waitForLine(child, /^failed unreadable .*locked\.jpg: cannot open for reading: EACCES/m);
      const delivered = waitForLine(child, /^delivered originals\//m);
      try {
        await Promise.all([failed, delivered]);
      } finally {
        await stopChild(child);
      }
    } else {
      const agent = startAgent(base(ws));
      const failed = waitForEvents(agent, "failed", 1);
      const delivered = waitForEvents(agent, "delivered", 1);
      await agent.ready;
      const [event] = await failed;
      expect(event).toMatchObject({ code: "unreadable" });
      expect(event?.reason).toMatch(/EACCES/);
      await delivered;
      await agent.stop();
    }
    expect(await readdir(ws.inbox)).toEqual(["locked.jpg"]);
  });
});
