/**
 * Every refused file is a visible, counted item: incomplete, too-large, non-media and empty files
 * move to `rejected/` with their bytes, and each becomes a report under the agent's S3 prefix
 * (`rejectionSchema`), kept in the spool while S3 is unreachable.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { createLogger, rejectionKey, rejectionSchema } from "@photo-relay/core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { type AgentOptions, startAgent } from "../src/index.ts";
import { until, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg } from "./helpers/media.ts";
import { useS3BehindProxy } from "./helpers/proxied-s3.ts";
import { BUCKET, gateCommand, s3Client } from "./helpers/s3.ts";
import { type Workspace, workspace } from "./helpers/workspace.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const servers = useS3BehindProxy();

const options = (ws: Workspace, extra: Partial<AgentOptions> = {}): AgentOptions => ({
  inbox: [ws.inbox],
  spoolDir: ws.spoolDir,
  s3: { client: servers.s3.client, bucket: BUCKET },
  agentId: "capture-pc",
  graceMs: 600,
  scanIntervalMs: 300,
  heartbeatIntervalMs: 0,
  logger,
  ...extra,
});

/** The report at `key`, once the agent's outbox has sent it. */
async function report(key: string) {
  let body = "";
  await until(
    async () => {
      const object = await servers.s3.client
        .send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
        .catch(() => undefined);
      body = (await object?.Body?.transformToString()) ?? "";
      return body !== "";
    },
    10_000,
    `report ${key}`,
  );
  return rejectionSchema.parse(JSON.parse(body));
}

/** A real camera-like JPEG (it decodes), cut short as a pulled card or a crashed writer leaves it. */
async function truncatedJpeg(): Promise<Buffer> {
  const whole = await sharp({ create: { width: 1200, height: 800, channels: 3, background: "#3a6" } })
    .composite([
      {
        input: Buffer.alloc(400 * 300 * 3, 200),
        raw: { width: 400, height: 300, channels: 3 },
        left: 100,
        top: 50,
      },
    ])
    .jpeg({ quality: 95 })
    .toBuffer();
  return whole.subarray(0, Math.floor(whole.length * 0.6));
}

describe("agent: refused files", () => {
  it("moves a truncated camera JPEG that still decodes partly to rejected/, bytes kept, and reports it as incomplete", async () => {
    const ws = await workspace("agent-rejected");
    const agent = startAgent(options(ws));
    await agent.ready;
    const rejected = waitForEvents(agent, "rejected", 1);
    const bytes = await truncatedJpeg();
    expect((await sharp(bytes, { failOn: "none" }).metadata()).width).toBe(1200); // it still decodes, partly
    await writeFile(join(ws.inbox, "DSC_0042.JPG"), bytes);
    const [event] = await rejected;
    expect(event).toMatchObject({ code: "incomplete", kept: "rejected-folder" });
    expect(await readdir(ws.inbox)).toEqual([]);
    expect(await readFile(join(ws.root, "rejected", "DSC_0042.JPG"))).toEqual(bytes);
    const sent = await report(rejectionKey("capture-pc", event?.reportId ?? ""));
    expect(sent).toMatchObject({
      agentId: "capture-pc",
      file: { name: "DSC_0042.JPG", path: "DSC_0042.JPG", bytes: bytes.length },
      reason: { code: "incomplete" },
      kept: "rejected-folder",
    });
    expect(sent.file.sha256).toBe(event?.reportId);
    expect(agent.status()).toMatchObject({ rejected: 1, delivered: 0 });
    await agent.stop();
    await ws.remove();
  });

  it("moves unknown kinds, empty files and a file over the size limit to rejected/ and reports each", async () => {
    const ws = await workspace("agent-rejected");
    const agent = startAgent(options(ws, { agentId: "pc-2", maxFileBytes: 100_000 }));
    await agent.ready;
    const rejected = waitForEvents(agent, "rejected", 3);
    await writeFile(join(ws.inbox, "notes.txt"), "not a photo");
    await writeFile(join(ws.inbox, "empty.jpg"), "");
    await writeFile(join(ws.inbox, "huge.jpg"), jpeg(200_000));
    const events = await rejected;
    const by = (code: string) => events.find((e) => e.code === code);
    expect(by("unknown_kind")).toMatchObject({ kept: "rejected-folder" });
    expect(by("empty")).toMatchObject({ kept: "rejected-folder" });
    expect(by("too_large")).toMatchObject({ kept: "rejected-folder" });
    expect(await readdir(ws.inbox)).toEqual([]);
    expect((await readdir(join(ws.root, "rejected"))).sort()).toEqual(["empty.jpg", "huge.jpg", "notes.txt"]);
    for (const e of events) {
      expect((await report(rejectionKey("pc-2", e.reportId))).reason.code).toBe(e.code);
    }
    expect(agent.status().rejected).toBe(3);
    await agent.stop();
    await ws.remove();
  });

  it("sends a report made while an earlier one is being sent", async () => {
    const ws = await workspace("agent-rejected");
    const client = s3Client(servers.s3.endpoint);
    const gate = gateCommand(client, "PutObjectCommand"); // the first report's PUT waits here
    const agent = startAgent(options(ws, { agentId: "pc-busy", s3: { client, bucket: BUCKET } }));
    await agent.ready;
    const first = waitForEvents(agent, "rejected", 1);
    await writeFile(join(ws.inbox, "first.txt"), "not a photo");
    const [a] = await first;
    const second = waitForEvents(agent, "rejected", 1);
    await writeFile(join(ws.inbox, "second.txt"), "not a photo either");
    const [b] = await second;
    gate.release();
    for (const event of [a, b]) {
      expect((await report(rejectionKey("pc-busy", event?.reportId ?? ""))).reason.code).toBe("unknown_kind");
    }
    await until(
      async () => (await readdir(join(ws.spoolDir, "reports"))).length === 0,
      10_000,
      "spool emptied",
    );
    await agent.stop();
    client.destroy();
    await ws.remove();
  });

  it("keeps a report made while S3 is unreachable and sends it when S3 answers again", async () => {
    servers.proxy.setMode("pass");
    const ws = await workspace("agent-rejected");
    const client = s3Client(servers.proxy.endpoint);
    const agent = startAgent(
      options(ws, {
        agentId: "pc-offline",
        s3: { client, bucket: BUCKET },
        requestTimeoutMs: 1500,
        backoff: { baseMs: 100, maxMs: 500 },
      }),
    );
    await agent.ready;
    servers.proxy.setMode("refuse");
    const rejected = waitForEvents(agent, "rejected", 1);
    await writeFile(join(ws.inbox, "cut.jpg"), jpeg(50_000).subarray(0, 30_000));
    const [event] = await rejected;
    await until(() => !agent.status().online, 10_000, "offline");
    expect(await readdir(join(ws.spoolDir, "reports"))).toHaveLength(1);
    const listed = await servers.s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: "agents/pc-offline/" }),
    );
    expect(listed.KeyCount ?? 0).toBe(0);
    servers.proxy.setMode("pass");
    await until(
      async () => (await readdir(join(ws.spoolDir, "reports"))).length === 0,
      20_000,
      "report sent",
    );
    expect(await report(rejectionKey("pc-offline", event?.reportId ?? ""))).toMatchObject({
      reason: { code: "incomplete" },
    });
    await agent.stop();
    client.destroy();
    await ws.remove();
  });
});
