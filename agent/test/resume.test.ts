import { createHash } from "node:crypto";
import { readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createLogger } from "@photo-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { objectMetadata as agentMetadata } from "../src/delivery/object-check.ts";
import { startAgent } from "../src/index.ts";
import type { JournalRecord } from "../src/spool/journal.ts";
import { until, waitForEvents } from "./helpers/agent-events.ts";
import { nef } from "./helpers/media.ts";
import { BUCKET, gateCommand, objectSha256, s3Client, startS3, type TestS3 } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const MiB = 1024 * 1024;
const logger = createLogger("agent-test", { level: "SILENT" });

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

/**
 * A client that counts UploadPart calls and, when `stall` is set, holds every part after the first
 * `allow` until `release()` fails them: an upload interrupted in the middle of the file.
 */
function countingClient(stall?: { allow: number }) {
  const client = s3Client(s3.endpoint);
  const counter = { parts: 0 };
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === "UploadPartCommand") {
        counter.parts++;
        if (stall && counter.parts > stall.allow) {
          await released;
          throw Object.assign(new Error("connection lost"), { name: "AbortError" });
        }
      }
      return next(args);
    },
    { step: "initialize", name: "countParts" },
  );
  return { client, counter, release };
}

/** stop() waits for in-flight parts, so the held ones are failed right after it begins. */
async function interrupt(agent: { stop(): Promise<void> }, stalled: { release: () => void }) {
  const stopping = agent.stop();
  stalled.release();
  await stopping;
}

async function journalRecords(spoolDir: string): Promise<JournalRecord[]> {
  const dir = join(spoolDir, "journal");
  const names = (await readdir(dir)).filter((n) => n.endsWith(".json"));
  return Promise.all(
    names.map(async (n) => JSON.parse(await readFile(join(dir, n), "utf8")) as JournalRecord),
  );
}

const options = (ws: { inbox: string; spoolDir: string }, client: S3Client) => ({
  inbox: [ws.inbox],
  spoolDir: ws.spoolDir,
  s3: { client, bucket: BUCKET },
  partSizeBytes: 5 * MiB,
  concurrency: 1,
  stableMs: 100,
  logger,
});

describe("agent: resumable multipart", () => {
  it("continues an interrupted 4-part upload from its last finished part after a restart", async () => {
    const ws = await workspace("agent-resume");
    const stalled = countingClient({ allow: 2 });
    const first = startAgent(options(ws, stalled.client));
    await first.ready;
    const bytes = nef(20 * MiB);
    await writeFile(join(ws.inbox, "big.NEF"), bytes);
    await until(
      async () => (await journalRecords(ws.spoolDir))[0]?.upload?.parts.length === 2,
      20_000,
      "2 parts",
    );
    await interrupt(first, stalled);
    const [record] = await journalRecords(ws.spoolDir);
    expect(record?.state).toBe("uploading");
    expect(record?.upload?.parts.map((p) => p.n)).toEqual([1, 2]);

    const fresh = countingClient();
    const second = startAgent(options(ws, fresh.client));
    const delivered = waitForEvents(second, "delivered", 1);
    await second.ready;
    const [event] = await delivered;
    expect(fresh.counter.parts).toBe(2); // only parts 3 and 4 were sent again
    expect(await objectSha256(s3.client, event?.key ?? "")).toBe(record?.sha256);
    await second.stop();
    stalled.client.destroy();
    fresh.client.destroy();
  });

  it("starts again when the recorded upload is gone (NoSuchUpload), checking the object first", async () => {
    const ws = await workspace("agent-resume");
    const stalled = countingClient({ allow: 1 });
    const first = startAgent(options(ws, stalled.client));
    await first.ready;
    await writeFile(join(ws.inbox, "gone.NEF"), nef(11 * MiB));
    await until(
      async () => (await journalRecords(ws.spoolDir))[0]?.upload?.parts.length === 1,
      20_000,
      "1 part",
    );
    await interrupt(first, stalled);
    const [record] = await journalRecords(ws.spoolDir);
    // A lifecycle rule (or an operator) aborted the upload while the agent was down.
    await s3.client.send(
      new AbortMultipartUploadCommand({
        Bucket: BUCKET,
        Key: record?.key,
        UploadId: record?.upload?.uploadId,
      }),
    );
    const fresh = countingClient();
    const second = startAgent(options(ws, fresh.client));
    const delivered = waitForEvents(second, "delivered", 1);
    await second.ready;
    const [event] = await delivered;
    expect(fresh.counter.parts).toBeGreaterThanOrEqual(3); // all parts of a new upload (after the one that hit NoSuchUpload)
    expect(await objectSha256(s3.client, event?.key ?? "")).toBe(record?.sha256);
    expect(second.status().failed).toBe(0);
    await second.stop();
    stalled.client.destroy();
    fresh.client.destroy();
  });

  it("re-hashes recovered spool copies and spools a damaged one again from the inbox original", async () => {
    const ws = await workspace("agent-resume");
    const client = s3Client(s3.endpoint);
    const gate = gateCommand(client, "CreateMultipartUploadCommand", () =>
      Object.assign(new Error("connection lost"), { name: "AbortError" }),
    );
    const first = startAgent(options(ws, client));
    await first.ready;
    const bytes = nef(6 * MiB);
    await writeFile(join(ws.inbox, "rot.NEF"), bytes);
    await until(() => first.status().inFlight.length === 1, 10_000, "spooled and uploading");
    const stopping = first.stop();
    gate.release();
    await stopping;
    // A power cut (or disk rot) damaged the spool copy, which is written without fsync.
    const [record] = await journalRecords(ws.spoolDir);
    const data = join(ws.spoolDir, "data", `${record?.sha256}.nef`);
    await unlink(data); // break the hard link first, so only the spool copy is damaged
    await writeFile(data, Buffer.alloc(bytes.length));

    const fresh = countingClient();
    const second = startAgent(options(ws, fresh.client));
    const failed = waitForEvents(second, "failed", 1);
    const delivered = waitForEvents(second, "delivered", 1);
    await second.ready;
    expect((await failed)[0]).toMatchObject({ code: "spool_corrupt" });
    const [event] = await delivered;
    expect(event?.sha256).toBe(record?.sha256);
    expect(await objectSha256(s3.client, event?.key ?? "")).toBe(record?.sha256);
    await second.stop();
    client.destroy();
    fresh.client.destroy();
  });
});

/**
 * A client whose request for part `partNumber` carries one flipped byte the first time, after its
 * Content-MD5 was set: bytes damaged on the way to a server that stores them unchecked (fauxqs).
 */
function damagingClient(partNumber: number) {
  const client = s3Client(s3.endpoint);
  let damaged = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const request = args.request as { query?: Record<string, string>; body?: unknown };
      if (
        context.commandName === "UploadPartCommand" &&
        request.query?.partNumber === String(partNumber) &&
        !damaged++
      ) {
        const body = Buffer.from(request.body as Uint8Array);
        body[1000] = (body[1000] ?? 0) ^ 0xff;
        request.body = body;
      }
      return next(args);
    },
    { step: "finalizeRequest", name: "damagePart" },
  );
  return { client, damagedParts: () => damaged };
}

/** The first agent sends every part, then is stopped before S3 completes the upload. */
async function allPartsNoCompletion(name: string, bytes: Buffer) {
  const ws = await workspace("agent-damage");
  const client = s3Client(s3.endpoint);
  const gate = gateCommand(client, "CompleteMultipartUploadCommand", () =>
    Object.assign(new Error("connection lost"), { name: "AbortError" }),
  );
  const first = startAgent(options(ws, client));
  await first.ready;
  await writeFile(join(ws.inbox, name), bytes);
  const parts = Math.ceil(bytes.length / (5 * MiB));
  await until(
    async () => (await journalRecords(ws.spoolDir))[0]?.upload?.parts.length === parts,
    20_000,
    "all parts",
  );
  await interrupt(first, gate);
  client.destroy();
  const [record] = await journalRecords(ws.spoolDir);
  if (!record?.upload) throw new Error("no recorded upload");
  return { ws, record, upload: record.upload };
}

describe("agent: bytes damaged on the way", () => {
  it("sends a part again when the server stored other bytes than its MD5 says, and the object is whole", async () => {
    const ws = await workspace("agent-damage");
    const damaging = damagingClient(2);
    const agent = startAgent(options(ws, damaging.client));
    await agent.ready;
    const bytes = nef(12 * MiB);
    const delivered = waitForEvents(agent, "delivered", 1);
    await writeFile(join(ws.inbox, "damaged.NEF"), bytes);
    const [event] = await delivered;
    expect(damaging.damagedParts()).toBeGreaterThan(0);
    expect(await objectSha256(s3.client, event?.key ?? "")).toBe(
      createHash("sha256").update(bytes).digest("hex"),
    );
    expect(agent.status().failed).toBe(0);
    await agent.stop();
    damaging.client.destroy();
  });

  it("never takes an object completed from damaged parts for the photo, even with the photo's metadata", async () => {
    const bytes = nef(11 * MiB);
    const { ws, record, upload } = await allPartsNoCompletion("wrong.NEF", bytes);
    // While the agent was down, part 1 was replaced by other bytes and the upload completed.
    const other = Buffer.from(bytes.subarray(0, 5 * MiB));
    other[10] = (other[10] ?? 0) ^ 0xff;
    const replaced = await s3.client.send(
      new UploadPartCommand({
        Bucket: BUCKET,
        Key: record.key,
        UploadId: upload.uploadId,
        PartNumber: 1,
        Body: other,
      }),
    );
    const parts = upload.parts.map((p) => ({ PartNumber: p.n, ETag: p.n === 1 ? replaced.ETag : p.etag }));
    await s3.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: BUCKET,
        Key: record.key,
        UploadId: upload.uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const second = startAgent(options(ws, s3.client));
    const failed = waitForEvents(second, "failed", 1);
    await second.ready;
    expect((await failed)[0]).toMatchObject({ code: "object_conflict" });
    expect(second.status().delivered).toBe(0);
    await second.stop();
  });

  it("takes an object another uploader stored with the same bytes once its bytes are read back", async () => {
    const bytes = nef(11 * MiB);
    const { ws, record, upload } = await allPartsNoCompletion("same.NEF", bytes);
    await s3.client.send(
      new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: record.key, UploadId: upload.uploadId }),
    );
    // The same bytes in one PUT, with the agent's metadata: an ETag no part plan of ours gives.
    await s3.client.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: record.key, Body: bytes, Metadata: agentMetadata(record) }),
    );
    const second = startAgent(options(ws, s3.client));
    const delivered = waitForEvents(second, "delivered", 1);
    await second.ready;
    expect((await delivered)[0]).toMatchObject({ key: record.key });
    expect(second.status().failed).toBe(0);
    await second.stop();
  });
});
