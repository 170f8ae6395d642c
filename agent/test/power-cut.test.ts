/**
 * agent: a power cut after S3 verified a photo. What follows verification (the journal's
 * `verified` and `archived` states, the move to processed/, the record's removal) is written
 * atomically but not fsync'd, so a power cut may undo any of it, or leave the record torn. Either
 * way the photo is found in S3 and archived again on the next start, and not one byte is sent twice.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { link, readdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { S3Client } from "@aws-sdk/client-s3";
import { createLogger } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { startAgent } from "../src/index.ts";
import type { JournalRecord } from "../src/spool/journal.ts";
import { waitForEvents } from "./helpers/agent-events.ts";
import { nef } from "./helpers/media.ts";
import { BUCKET, s3Client, useS3 } from "./helpers/s3.ts";
import { type Workspace, workspace } from "./helpers/workspace.ts";

const MiB = 1024 * 1024;
const logger = createLogger("agent-test", { level: "SILENT" });
const ctx = useS3();

/** A client that counts each command, and runs `onVerify` when the agent sends its verifying HeadObject. */
function countingClient(onVerify?: () => void): { client: S3Client; counts: Map<string, number> } {
  const client = s3Client(ctx.s3.endpoint);
  const counts = new Map<string, number>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      // The first HeadObject asks whether the bytes are there already; the second verifies the upload.
      if (name === "HeadObjectCommand" && counts.get(name) === 2) onVerify?.();
      return next(args);
    },
    { step: "initialize", name: "countCommands" },
  );
  return { client, counts };
}

const options = (ws: Workspace, client: S3Client) => ({
  inbox: [ws.inbox],
  spoolDir: ws.spoolDir,
  processedDir: ws.processed,
  s3: { client, bucket: BUCKET },
  partSizeBytes: 5 * MiB,
  stableMs: 100,
  logger,
});

/** Delivers one NEF; returns its journal record as it stood, durable, when verification began. */
async function deliverOnce(ws: Workspace): Promise<{ record: JournalRecord; journal: string }> {
  const bytes = nef(12 * MiB);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let journal = "";
  const { client } = countingClient(() => {
    journal = readFileSync(join(ws.spoolDir, "journal", `${sha256}.json`), "utf8");
  });
  const agent = startAgent(options(ws, client));
  const delivered = waitForEvents(agent, "delivered", 1);
  await agent.ready;
  await writeFile(join(ws.inbox, "DSC_0001.NEF"), bytes);
  await delivered;
  await agent.stop();
  client.destroy();
  return { record: JSON.parse(journal) as JournalRecord, journal };
}

/** What a power cut may leave: the original back in the inbox, its spool copy, and `journal` as the record. */
async function undoAfterVerification(ws: Workspace, record: JournalRecord, journal: string): Promise<void> {
  const original = join(ws.inbox, "DSC_0001.NEF");
  await rename(join(ws.processed, "DSC_0001.NEF"), original);
  await link(original, join(ws.spoolDir, "data", `${record.sha256}${record.ext}`));
  await writeFile(join(ws.spoolDir, "journal", `${record.sha256}.json`), journal);
}

async function restart(ws: Workspace): Promise<Map<string, number>> {
  const { client, counts } = countingClient();
  const agent = startAgent(options(ws, client));
  const delivered = waitForEvents(agent, "delivered", 1);
  await agent.ready;
  await delivered;
  await agent.stop();
  client.destroy();
  return counts;
}

describe("agent: a power cut after verification", () => {
  it("finds the object in S3 when the journal is back at `uploading` and the original back in the inbox", async () => {
    const ws = await workspace("agent-power-cut");
    const { record, journal } = await deliverOnce(ws);
    expect(record.state).toBe("uploading");
    await undoAfterVerification(ws, record, journal);
    const counts = await restart(ws);
    expect(counts.get("UploadPartCommand") ?? 0).toBe(0);
    expect(counts.get("CreateMultipartUploadCommand") ?? 0).toBe(0);
    expect(await readdir(ws.processed)).toEqual(["DSC_0001.NEF"]);
    expect(await readdir(ws.inbox)).toEqual([]);
    expect((await readdir(join(ws.spoolDir, "journal"))).filter((n) => n.endsWith(".json"))).toEqual([]);
    await ws.remove();
  });

  it("takes the original in again when the power cut left the record torn, sending nothing", async () => {
    const ws = await workspace("agent-power-cut");
    const { record, journal } = await deliverOnce(ws);
    await undoAfterVerification(ws, record, journal.slice(0, journal.length / 2));
    const counts = await restart(ws);
    expect(counts.get("UploadPartCommand") ?? 0).toBe(0);
    expect(counts.get("CreateMultipartUploadCommand") ?? 0).toBe(0);
    expect(await readdir(ws.processed)).toEqual(["DSC_0001.NEF"]);
    expect(await readdir(ws.inbox)).toEqual([]);
    await ws.remove();
  });
});
