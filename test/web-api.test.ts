/**
 * The upload API behind the pages, over HTTP against the local stack: what it signs and what it
 * refuses (a key outside originals/, a forged, foreign or expired ticket, more parts or bytes than
 * announced, an upload that already happened), the emulator's ListParts and the sweep of abandoned
 * uploads, a guest link's rate budget, and how the page assets are served.
 */
import { createHash } from "node:crypto";
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { guestLinks, issueTicket } from "@photo-relay/api";
import { type LocalStack, sweepAbandonedUploads } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "./support/photos.ts";
import { testStack } from "./support/stack.ts";

const MiB = 1024 * 1024;
let stack: LocalStack;

beforeAll(async () => {
  stack = await testStack({ publishMode: "manual" });
});
afterAll(async () => {
  await stack?.stop();
});

async function call<T>(
  path: string,
  body?: unknown,
  token = stack.apiToken,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as T };
}

interface Session {
  state: string;
  key: string;
  ticket: string;
}
interface Started {
  uploadId: string;
  presigned: { list: string; parts: string[]; expiresAt: string };
}
interface Signed {
  url: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}
type Refusal = { error: { code: string; message: string } };

const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

async function session(size: number, seed: string, contentType = "video/mp4"): Promise<Session> {
  const { status, body } = await call<Session>("/upload-sessions", {
    filename: `${seed}.mp4`,
    size,
    contentType,
    sha256: sha(Buffer.from(seed)),
  });
  expect(status).toBe(201);
  return body;
}

const sign = (s: Session, request: Record<string, unknown>, token?: string) =>
  call<Signed & Refusal>(
    "/upload-sessions/sign",
    { ticket: s.ticket, request: { key: s.key, ...request } },
    token,
  );

async function createUpload(s: Session): Promise<string> {
  const create = await sign(s, { method: "POST" });
  const res = await fetch(create.body.url, {
    method: "POST",
    headers: { ...create.body.headers, "content-type": "video/mp4" },
  });
  return /<UploadId>([^<]+)<\/UploadId>/.exec(await res.text())?.[1] as string;
}

async function putPart(s: Session, uploadId: string, partNumber: number, bytes: number): Promise<number> {
  const signed = await sign(s, { method: "PUT", uploadId, partNumber });
  return (await fetch(signed.body.url, { method: "PUT", body: new Uint8Array(bytes) })).status;
}

/** A small file's session, and its upload signed as Uppy asks: a POST form. */
async function smallUpload(data: Buffer, filename: string): Promise<{ reg: Session; post: Signed }> {
  const reg = await call<Session>("/upload-sessions", {
    filename,
    size: data.length,
    contentType: "image/jpeg",
    sha256: sha(data),
  });
  const post = await sign(reg.body, { method: "PUT", contentType: "image/jpeg" });
  return { reg: reg.body, post: post.body };
}

/** Sends `bytes` as the browser does with the signed form's fields. */
function postForm(post: Signed, bytes: Buffer): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(post.fields ?? {})) form.append(k, v);
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "image/jpeg" }));
  return fetch(post.url, { method: "POST", body: form });
}

describe("upload signing", () => {
  it("signs only the file's own key under originals/", async () => {
    const s = await session(20 * MiB, "own-key");
    for (const key of ["renditions/x/web.jpg", "originals/../agents/a/heartbeat.json", `${s.key}x`]) {
      const { status, body } = await call<Refusal>("/upload-sessions/sign", {
        ticket: s.ticket,
        request: { method: "POST", key },
      });
      expect(status, key).toBe(403);
      expect(body.error.code).toBe("key_not_allowed");
    }
  });

  it("refuses a forged, an altered and an expired ticket", async () => {
    const s = await session(20 * MiB, "tickets");
    const [payload = "", mac = ""] = s.ticket.split(".");
    const widened = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), size: 10 ** 12 }),
    ).toString("base64url");
    expect((await sign({ ...s, ticket: `${widened}.${mac}` }, { method: "POST" })).body.error.code).toBe(
      "ticket_invalid",
    );
    expect((await sign({ ...s, ticket: `${payload}.${"x".repeat(43)}` }, { method: "POST" })).status).toBe(
      403,
    );
    const expired = issueTicket(stack.apiToken, {
      key: s.key,
      size: 20 * MiB,
      contentType: "video/mp4",
      filename: "old.mp4",
      source: "phone",
      multipart: true,
      exp: Math.floor(Date.now() / 1000) - 1,
    });
    const { status, body } = await sign({ ...s, ticket: expired }, { method: "POST" });
    expect(status).toBe(401);
    expect(body.error.code).toBe("ticket_expired");
  });

  it("creates a file's multipart upload with its ticket, its first parts presigned, and none again for a page that names it", async () => {
    const first = await call<Session & Started>("/upload-sessions", {
      filename: "started.mp4",
      size: 20 * MiB,
      contentType: "video/mp4",
      sha256: sha(Buffer.from("started")),
    });
    const { uploadId, presigned } = first.body;
    expect(presigned.parts).toHaveLength(3); // 20 MiB in 8 MiB parts
    const uploads = async () =>
      (
        await stack.runtime.clients.s3.send(
          new ListMultipartUploadsCommand({ Bucket: stack.config.s3.bucket, Prefix: first.body.key }),
        )
      ).Uploads?.map((u) => u.UploadId) ?? [];
    expect(await uploads()).toEqual([uploadId]);
    expect(
      (await fetch(presigned.parts[0] as string, { method: "PUT", body: new Uint8Array(8 * MiB) })).status,
    ).toBe(200);
    const listed = await (await fetch(presigned.list)).text();
    expect([...listed.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1])).toEqual(["1"]);
    // A restored tab (or a renewed ticket) names its upload: a fresh ticket, the same upload.
    const again = await call<Session & Started>("/upload-sessions", {
      filename: "started.mp4",
      size: 20 * MiB,
      contentType: "video/mp4",
      sha256: sha(Buffer.from("started")),
      uploadId,
    });
    expect(again.status).toBe(201);
    expect(again.body.uploadId).toBe(uploadId);
    expect(await uploads()).toEqual([uploadId]);
    const complete = await sign(again.body, { method: "POST", uploadId });
    expect(complete.status).toBe(200);
  });

  it("refuses part numbers past what the announced size needs", async () => {
    const s = await session(9 * MiB, "few-parts"); // at most 2 parts of S3's smallest size
    const uploadId = await createUpload(s);
    const { status, body } = await sign(s, { method: "PUT", uploadId, partNumber: 3 });
    expect(status).toBe(413);
    expect(body.error.message).toContain("at most 2 parts");
  });

  it("refuses to complete, and aborts, an upload whose parts add up to more than announced", async () => {
    const s = await session(9 * MiB, "too-many-bytes");
    const uploadId = await createUpload(s);
    expect(await putPart(s, uploadId, 1, 8 * MiB)).toBe(200);
    expect(await putPart(s, uploadId, 2, 8 * MiB)).toBe(200);
    const { status, body } = await sign(s, { method: "POST", uploadId });
    expect(status).toBe(413);
    expect(body.error.message).toMatch(/16\.0 MiB in 2 parts, more than the 9\.0 MiB announced/);
    const list = await sign(s, { method: "GET", uploadId });
    expect((await fetch(list.body.url)).status).toBe(404); // NoSuchUpload: it was aborted
  });

  it("lists the parts S3 holds, as Uppy resumes from them", async () => {
    const s = await session(20 * MiB, "list-parts");
    const uploadId = await createUpload(s);
    await putPart(s, uploadId, 2, 5 * MiB);
    await putPart(s, uploadId, 1, 8 * MiB);
    const list = await sign(s, { method: "GET", uploadId });
    const xml = await (await fetch(list.body.url)).text();
    expect([...xml.matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => m[1])).toEqual(["1", "2"]);
    expect([...xml.matchAll(/<Size>(\d+)<\/Size>/g)].map((m) => Number(m[1]))).toEqual([8 * MiB, 5 * MiB]);
  });

  it("signs a small file as a POST pinned to its key, size and type, and never again once it is there", async () => {
    const data = await cameraJpeg({ width: 300, height: 200, seed: 901 });
    const { reg, post } = await smallUpload(data, "small.jpg");
    expect(post.fields).toMatchObject({
      key: reg.key,
      "Content-Type": "image/jpeg",
      "x-amz-meta-source": "phone",
    });
    const policy = JSON.parse(Buffer.from(post.fields?.Policy ?? "", "base64").toString()) as {
      conditions: unknown[];
    };
    expect(policy.conditions).toContainEqual(["content-length-range", data.length, data.length]);
    expect((await postForm(post, data)).ok).toBe(true);
    // The same ticket, replayed: the photo is there, nothing is signed.
    const replay = await sign(reg, { method: "PUT", contentType: "image/jpeg" });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe("already_there");
    const again = await call<Session>("/upload-sessions", {
      filename: "b.jpg",
      size: data.length,
      contentType: "image/jpeg",
      sha256: sha(data),
    });
    expect(again.body.state).toBe("exists");
  });

  it("takes only the declared bytes under a small file's POST: the policy pins their SHA-256", async () => {
    const data = await cameraJpeg({ width: 300, height: 200, seed: 902 });
    const forged = Buffer.from(data);
    forged[forged.length - 100] = (forged[forged.length - 100] ?? 0) ^ 0xff; // same size, other bytes
    const { reg, post } = await smallUpload(data, "pinned.jpg");
    expect(post.fields?.["x-amz-checksum-sha256"]).toBe(Buffer.from(sha(data), "hex").toString("base64"));
    const refused = await postForm(post, forged);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("<Code>BadDigest</Code>");
    const head = () =>
      stack.runtime.clients.s3.send(new HeadObjectCommand({ Bucket: stack.config.s3.bucket, Key: reg.key }));
    await expect(head()).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect((await postForm(post, data)).ok).toBe(true);
    expect((await head()).ContentLength).toBe(data.length);
  });

  it("completes a multipart upload only while its key is empty: it never replaces an original", async () => {
    const s = await session(9 * MiB, "arrived-meanwhile");
    const uploadId = await createUpload(s);
    expect(await putPart(s, uploadId, 1, 5 * MiB)).toBe(200);
    expect(await putPart(s, uploadId, 2, 4 * MiB)).toBe(200);
    const parts = await (await fetch((await sign(s, { method: "GET", uploadId })).body.url)).text();
    const etags = [...parts.matchAll(/<ETag>([^<]+)<\/ETag>/g)].map((m) => m[1]);
    // The same original arrives by another route (the agent, another phone) before the completion.
    const Bucket = stack.config.s3.bucket;
    const first = Buffer.from("arrived-meanwhile"); // the bytes the session's id is the SHA-256 of
    await stack.runtime.clients.s3.send(new PutObjectCommand({ Bucket, Key: s.key, Body: first }));
    const complete = await sign(s, { method: "POST", uploadId });
    expect(complete.body.headers).toEqual({ "if-none-match": "*" });
    const xml = `<CompleteMultipartUpload>${etags
      .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
      .join("")}</CompleteMultipartUpload>`;
    const res = await fetch(complete.body.url, {
      method: "POST",
      headers: complete.body.headers ?? {},
      body: xml,
    });
    expect(res.status).toBe(412);
    expect(await res.text()).toContain("<Code>PreconditionFailed</Code>");
    const kept = await stack.runtime.clients.s3.send(new HeadObjectCommand({ Bucket, Key: s.key }));
    expect(kept.ContentLength).toBe(first.length);
  });

  it("keeps tickets to who they were issued to: a guest's ticket is not the owner's, and back", async () => {
    const now = new Date();
    const links = guestLinks(stack.runtime);
    const link = await links.create(
      {
        label: "t",
        expiresAt: new Date(Date.now() + 3600_000).toISOString(),
        maxFiles: 5,
        maxBytes: 100 * MiB,
      },
      now,
    );
    const token = `${link.linkId}.${links.secretOf(link.linkId)}`;
    const owners = await session(20 * MiB, "owners-ticket");
    expect((await sign(owners, { method: "POST" }, token)).body.error.code).toBe("ticket_invalid");
    const guest = await call<Session>(
      "/upload-sessions",
      {
        filename: "g.mp4",
        size: 20 * MiB,
        contentType: "video/mp4",
        sha256: sha(Buffer.from("guest-ticket")),
      },
      token,
    );
    expect(guest.status).toBe(201);
    expect((await sign(guest.body, { method: "POST" })).body.error.code).toBe("ticket_invalid");
    const signed = await sign(guest.body, { method: "POST" }, token);
    expect(signed.body.headers).toEqual({
      "x-amz-meta-original-name": "g.mp4",
      "x-amz-meta-source": `guest:${link.linkId}`,
    });
  });

  it("refuses what is not a photo or video, and what is over the size limit", async () => {
    const refuse = async (contentType: string, size: number) =>
      (
        await call<Refusal>("/upload-sessions", {
          filename: "f",
          size,
          contentType,
          sha256: sha(Buffer.from(contentType)),
        })
      ).body.error;
    expect(await refuse("application/pdf", 1000)).toMatchObject({ code: "type_not_allowed" });
    expect(await refuse("image/jpeg", stack.config.api.maxUploadBytes + 1)).toMatchObject({
      code: "too_large",
    });
  });
});

describe("guest link rate budget", () => {
  it("counts every request of a link together and refuses past the budget until the next minute", async () => {
    const links = guestLinks(stack.runtime);
    const now = new Date();
    const link = await links.create(
      { label: "r", expiresAt: new Date(Date.now() + 3600_000).toISOString(), maxFiles: 1, maxBytes: MiB },
      now,
    );
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await links.hit(link.linkId, 3, now));
    expect(hits).toEqual([true, true, true, false]);
    expect(await links.hit(link.linkId, 3, new Date(now.getTime() + 60_000))).toBe(true);
  });
});

describe("local stack: abandoned multipart uploads", () => {
  it("are aborted by the sweep once older than the cutoff", async () => {
    const { s3 } = stack.runtime.clients;
    const Bucket = stack.config.s3.bucket;
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "originals/abandoned.mp4" }));
    const listed = async () =>
      (
        (await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: "originals/abandoned" }))).Uploads ??
        []
      ).length;
    expect(await listed()).toBe(1);
    expect(await sweepAbandonedUploads(s3, Bucket, new Date(Date.now() - 3600_000))).toEqual([]);
    expect(await sweepAbandonedUploads(s3, Bucket, new Date(Date.now() + 1000))).toContain(
      "originals/abandoned.mp4",
    );
    expect(await listed()).toBe(0);
  });
});

describe("page assets", () => {
  it("serve hashed assets compressed and cached for good, and page shells with a strict CSP", async () => {
    const shell = await fetch(`${stack.urls.api}/app/dashboard`);
    expect(shell.headers.get("content-security-policy")).toContain("script-src 'self' 'wasm-unsafe-eval'");
    const html = await shell.text();
    const script = /src="(\/app\/assets\/dashboard-[^"]+\.js)"/.exec(html)?.[1] as string;
    const res = await fetch(`${stack.urls.api}${script}`, { headers: { "accept-encoding": "br" } });
    expect(res.headers.get("content-encoding")).toBe("br");
    expect(res.headers.get("cache-control")).toContain("immutable");
    const etag = res.headers.get("etag") as string;
    expect((await fetch(`${stack.urls.api}${script}`, { headers: { "if-none-match": etag } })).status).toBe(
      304,
    );
    expect((await fetch(`${stack.urls.api}/app/assets/nope.js`)).status).toBe(404);
  });
});
