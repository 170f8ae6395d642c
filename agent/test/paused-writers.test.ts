/**
 * A writer that pauses mid-file longer than the grace time (a loaded machine, a card reader that
 * stalls) is waited for, not judged: its photo is delivered whole, never moved to `rejected/`.
 * Also when the agent starts after the writer opened the file, so inotify never saw it writing
 * (`/proc` still shows the writer). Once the writer closes a file that is still cut short, it is
 * refused as before. Linux: elsewhere no writer can be seen and the grace time alone decides.
 */
import { createHash } from "node:crypto";
import { type FileHandle, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { type AgentOptions, startAgent } from "../src/index.ts";
import { isOpenForWriting } from "../src/intake/open-writers.ts";
import { collect, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg, nef } from "./helpers/media.ts";
import { BUCKET, objectSha256, useS3 } from "./helpers/s3.ts";
import { type Workspace, workspace } from "./helpers/workspace.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const servers = useS3();
/** The writer's pause: longer than the grace time and than the 2 s a quiet open writer is trusted. */
const PAUSE_MS = 3000;
const pause = () => new Promise((r) => setTimeout(r, PAUSE_MS)); // the writer's pace, not a synchronisation

const options = (ws: Workspace): AgentOptions => ({
  inbox: [ws.inbox],
  spoolDir: ws.spoolDir,
  s3: { client: servers.s3.client, bucket: BUCKET },
  stableMs: 100,
  scanIntervalMs: 300,
  graceMs: 600,
  heartbeatIntervalMs: 0,
  logger,
});

/** Writes `bytes` from `from` to `to` through an open handle, as a camera's software writes a chunk. */
const writeChunk = (handle: FileHandle, bytes: Buffer, from: number, to: number) =>
  handle.write(bytes, from, to - from, from);

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.runIf(process.platform === "linux")("intake: open writers", () => {
  it("sees a file held open for writing or for reading and writing, not one open for reading only", async () => {
    const ws = await workspace("agent-paused");
    const path = join(ws.inbox, "held.jpg");
    const writer = await open(path, "w");
    expect(await isOpenForWriting(path)).toBe(true);
    await writer.close();
    expect(await isOpenForWriting(path)).toBe(false);
    const reader = await open(path, "r");
    expect(await isOpenForWriting(path)).toBe(false);
    const updater = await open(path, "r+");
    expect(await isOpenForWriting(path)).toBe(true);
    await Promise.all([reader.close(), updater.close()]);
    await ws.remove();
  });
});

describe.runIf(process.platform === "linux")("agent: writers that pause mid-file", () => {
  it("waits for a JPEG whose writer pauses longer than the grace time, and delivers it whole", async () => {
    const ws = await workspace("agent-paused");
    const agent = startAgent(options(ws));
    const refused = collect(agent, "ignored");
    await agent.ready;
    const delivered = waitForEvents(agent, "delivered", 1, 20_000);
    const bytes = jpeg(2 * 1024 * 1024);
    const handle = await open(join(ws.inbox, "CAM_0036.JPG"), "w");
    await writeChunk(handle, bytes, 0, bytes.length / 2);
    await pause();
    await writeChunk(handle, bytes, bytes.length / 2, bytes.length);
    await handle.close();
    const [event] = await delivered;
    expect(refused).toEqual([]);
    expect(event?.path).toBe(join(ws.inbox, "CAM_0036.JPG"));
    expect(await objectSha256(servers.s3.client, event?.key ?? "")).toBe(sha256(bytes));
    await agent.stop();
    expect(await readdir(ws.root)).not.toContain("rejected");
    await ws.remove();
  });

  it("waits for a NEF its writer opened before the agent started, through a pause", async () => {
    const ws = await workspace("agent-paused");
    const bytes = nef(3 * 1024 * 1024);
    const handle = await open(join(ws.inbox, "CAM_0041.NEF"), "w");
    await writeChunk(handle, bytes, 0, bytes.length / 3);
    // Started (or restarted) now: inotify never saw this file being written.
    const agent = startAgent(options(ws));
    const refused = collect(agent, "ignored");
    await agent.ready;
    const delivered = waitForEvents(agent, "delivered", 1, 20_000);
    await pause();
    await writeChunk(handle, bytes, bytes.length / 3, bytes.length);
    await handle.close();
    const [event] = await delivered;
    expect(refused).toEqual([]);
    expect(await objectSha256(servers.s3.client, event?.key ?? "")).toBe(sha256(bytes));
    await agent.stop();
    await ws.remove();
  });

  it("refuses a file still cut short once its writer closed it", async () => {
    const ws = await workspace("agent-paused");
    const agent = startAgent(options(ws));
    const delivered = collect(agent, "delivered");
    await agent.ready;
    const rejected = waitForEvents(agent, "rejected", 1, 20_000);
    let rejectedAt = 0;
    agent.on("rejected", () => {
      rejectedAt = Date.now();
    });
    const bytes = jpeg(1024 * 1024);
    const handle = await open(join(ws.inbox, "cut.jpg"), "w");
    await writeChunk(handle, bytes, 0, bytes.length / 2);
    await pause();
    const closedAt = Date.now();
    await handle.close(); // the writer gave up: the file stays cut short
    const [event] = await rejected;
    expect(event).toMatchObject({ code: "incomplete", kept: "rejected-folder" });
    expect(rejectedAt).toBeGreaterThanOrEqual(closedAt); // not while its writer still held it
    expect(await readdir(join(ws.root, "rejected"))).toEqual(["cut.jpg"]);
    expect(delivered).toEqual([]);
    await agent.stop();
    await ws.remove();
  });
});
