import { createHash } from "node:crypto";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Agent, type AgentOptions, startAgent } from "../src/index.ts";
import { collect, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg, mp4, nef, png } from "./helpers/media.ts";
import { BUCKET, listOriginals, objectMetadata, objectSha256, startS3, type TestS3 } from "./helpers/s3.ts";
import { type Workspace, workspace } from "./helpers/workspace.ts";

const MiB = 1024 * 1024;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const logger = createLogger("agent-test", { level: "SILENT" });

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

function start(ws: Workspace, extra: Partial<AgentOptions> = {}): Agent {
  return startAgent({
    inbox: [ws.inbox],
    spoolDir: ws.spoolDir,
    s3: { client: s3.client, bucket: BUCKET },
    partSizeBytes: 5 * MiB,
    stableMs: 150,
    scanIntervalMs: 500,
    logger,
    ...extra,
  });
}

describe("agent: delivery to S3", () => {
  it("uploads a JPEG, a multipart NEF and an MP4 under content-addressed keys, then archives and empties the spool", async () => {
    const ws = await workspace("agent-deliver");
    const agent = start(ws);
    await agent.ready;
    const files = { "DSC_0001.JPG": jpeg(300_000), "DSC_0002.NEF": nef(12 * MiB), "clip.mp4": mp4(2 * MiB) };
    const delivered = waitForEvents(agent, "delivered", 3);
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(ws.inbox, name), bytes);
    const events = await delivered;

    const keys = await listOriginals(s3.client);
    for (const [name, bytes] of Object.entries(files)) {
      const ext = name === "DSC_0001.JPG" ? ".jpg" : name === "DSC_0002.NEF" ? ".nef" : ".mp4";
      const key = `originals/${sha(bytes)}${ext}`;
      expect(keys.get(key)).toBe(bytes.length);
      expect(await objectSha256(s3.client, key)).toBe(sha(bytes));
      const meta = await objectMetadata(s3.client, key);
      expect(meta).toMatchObject({ "original-name": name, source: "agent", sha256: sha(bytes) });
      expect(new Date(meta["captured-at"] ?? "").getTime()).toBeGreaterThan(0);
      expect(events.find((e) => e.key === key)).toMatchObject({ sha256: sha(bytes), bytes: bytes.length });
    }
    expect((await readdir(ws.processed)).sort()).toEqual(Object.keys(files).sort());
    expect(await readdir(ws.inbox)).toEqual([]);
    expect(await readdir(join(ws.spoolDir, "data"))).toEqual([]);
    expect((await readdir(join(ws.spoolDir, "journal"))).filter((f) => f.endsWith(".json"))).toEqual([]);
    expect(agent.status()).toMatchObject({
      online: true,
      waiting: { files: 0, bytes: 0 },
      delivered: 3,
      failed: 0,
    });
    await agent.stop();
    await ws.remove();
  });

  it("stores the same bytes once, archives both copies, and skips bytes already in S3", async () => {
    const ws = await workspace("agent-deliver");
    const agent = start(ws);
    await agent.ready;
    const bytes = jpeg(100_000);
    const delivered = waitForEvents(agent, "delivered", 1);
    await writeFile(join(ws.inbox, "a.jpg"), bytes);
    await delivered;
    const again = waitForEvents(agent, "delivered", 2);
    await writeFile(join(ws.inbox, "b.jpeg"), bytes);
    await writeFile(join(ws.inbox, "c.JPG"), bytes);
    await again;
    const keys = [...(await listOriginals(s3.client)).keys()].filter((k) => k.includes(sha(bytes)));
    expect(keys).toEqual([`originals/${sha(bytes)}.jpg`]);
    expect((await readdir(ws.processed)).sort()).toEqual(["a.jpg", "b.jpeg", "c.JPG"]);
    await agent.stop();
    await ws.remove();
  });

  it("moves non-media and empty files to rejected/ with a reason, leaves excluded kinds alone and never looks at system junk", async () => {
    const ws = await workspace("agent-deliver");
    const agent = start(ws, { graceMs: 600, exclude: ["png"] });
    const ignored = collect(agent, "ignored");
    const rejected = collect(agent, "rejected");
    await agent.ready;
    const done = waitForEvents(agent, "ignored", 3);
    const moved = waitForEvents(agent, "rejected", 2);
    await writeFile(join(ws.inbox, "notes.txt"), "not a photo");
    await writeFile(join(ws.inbox, "empty.jpg"), "");
    await writeFile(join(ws.inbox, "screen.png"), png());
    const junk = [
      "tmpfileAb12Cd",
      "DSC_0003.NEF.part",
      ".DS_Store",
      "Thumbs.db",
      "desktop.ini",
      "caption.txt~",
    ];
    for (const name of junk) await writeFile(join(ws.inbox, name), jpeg(1000));
    await mkdir(join(ws.inbox, ".Trashes"));
    await writeFile(join(ws.inbox, ".Trashes", "deleted.jpg"), jpeg(1000));
    await done;
    await moved;
    await agent.ready;
    expect(ignored.map((e) => e.code).sort()).toEqual(["empty", "excluded_kind", "unsupported"]);
    expect(ignored.find((e) => e.code === "unsupported")?.reason).toMatch(/not a supported media file/);
    expect(rejected.map((e) => `${e.code} ${e.kept}`).sort()).toEqual([
      "empty rejected-folder",
      "unknown_kind rejected-folder",
    ]);
    expect((await readdir(join(ws.root, "rejected"))).sort()).toEqual(["empty.jpg", "notes.txt"]);
    expect((await readdir(ws.inbox)).sort()).toEqual([".Trashes", ...junk, "screen.png"].sort());
    expect(agent.status()).toMatchObject({ ignored: 3, rejected: 2, delivered: 0, waiting: { files: 0 } });
    await agent.stop();
    await ws.remove();
  });

  it("moves a photo's XMP, caption and THM with it and never refuses them", async () => {
    const ws = await workspace("agent-deliver");
    const agent = start(ws);
    const rejected = collect(agent, "rejected");
    await agent.ready;
    const delivered = waitForEvents(agent, "delivered", 1);
    const companions = ["DSC_0009.xmp", "DSC_0009.NEF.xmp", "DSC_0009.txt", "DSC_0009.THM"];
    for (const name of companions) await writeFile(join(ws.inbox, name), "<x:xmpmeta/>");
    await writeFile(join(ws.inbox, "DSC_0009.NEF"), nef(1024 * 1024));
    await delivered;
    await agent.ready;
    expect((await readdir(ws.processed)).sort()).toEqual([...companions, "DSC_0009.NEF"].sort());
    expect(await readdir(ws.inbox)).toEqual([]);
    expect(rejected).toEqual([]);
    await agent.stop();
    await ws.remove();
  });

  it("keeps originals in place with archive: keep and does not send them again after a restart", async () => {
    const ws = await workspace("agent-deliver");
    let agent = start(ws, { archive: "keep" });
    await agent.ready;
    const delivered = waitForEvents(agent, "delivered", 1);
    await writeFile(join(ws.inbox, "keep.jpg"), jpeg(50_000));
    await delivered;
    await agent.stop();
    agent = start(ws, { archive: "keep" });
    const again = collect(agent, "delivered");
    await agent.ready;
    await agent.stop();
    expect(again).toEqual([]);
    expect(await readdir(ws.inbox)).toEqual(["keep.jpg"]);
    await ws.remove();
  });
});
