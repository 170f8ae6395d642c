/**
 * The S3 emulator (fauxqs 2.4.1) checks no signature, checksum or condition of a write; the local
 * stack enforces on its S3 what AWS enforces: a body must match its declared SHA-256 (or MD5),
 * `If-None-Match: *` never replaces an existing key, `If-Match` acts only on the named ETag. What
 * the stack still does not check (signatures) lets a forged upload through, and convert catches
 * it (packages/pipeline/test/forged-ids.test.ts).
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { multipartUpload, postPolicy, presignPut } from "@photo-relay/api";
import { startFauxqs } from "fauxqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../../../test/support/stack.ts";
import type { LocalStack } from "../src/index.ts";

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const b64 = (hex: string) => Buffer.from(hex, "hex").toString("base64");
const genuine = Buffer.from("the genuine photo's bytes");
const forged = Buffer.from("other bytes, under the genuine photo's id");
const declared = (data: Buffer) => ({
  filename: "IMG_1.JPG",
  size: data.length,
  contentType: "image/jpeg",
  sha256: sha(data),
  source: "phone",
});
const client = (endpoint: string, checksums: "WHEN_REQUIRED" | "WHEN_SUPPORTED" = "WHEN_REQUIRED") =>
  new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    requestChecksumCalculation: checksums,
  });
const status = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const code = (error: unknown) => (error as { name?: string }).name;

describe("the S3 emulator alone (fauxqs 2.4.1)", () => {
  it("stores a body that does not match its checksum, overwrites despite If-None-Match, and takes a tampered signature", async () => {
    const server = await startFauxqs({ port: 0, logger: false });
    server.createBucket("bare");
    const s3 = client(`http://127.0.0.1:${server.port}`);
    try {
      const put = (body: Buffer, extra = {}) =>
        s3.send(new PutObjectCommand({ Bucket: "bare", Key: "k.jpg", Body: body, ...extra }));
      await put(forged, { ChecksumSHA256: b64(sha(genuine)) }); // a wrong checksum, accepted
      await put(genuine, { IfNoneMatch: "*" }); // an existing key, replaced
      const url = new URL(
        await getSignedUrl(s3, new PutObjectCommand({ Bucket: "bare", Key: "k.jpg" }), { expiresIn: 60 }),
      );
      url.searchParams.set("X-Amz-Signature", "0".repeat(64));
      expect((await fetch(url, { method: "PUT", body: new Uint8Array(forged) })).status).toBe(200);
      const got = await s3.send(new GetObjectCommand({ Bucket: "bare", Key: "k.jpg" }));
      expect(Buffer.from(await (got.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(forged);
    } finally {
      s3.destroy();
      await server.stop();
    }
  });
});

describe("the local stack's S3", () => {
  let stack: LocalStack;
  let s3: S3Client;
  const bucket = "media";
  beforeAll(async () => {
    stack = await testStack({ dataDir: join(mkdtempSync(join(tmpdir(), "s3-integrity-")), ".data") });
    s3 = client(stack.urls.aws);
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });
  const head = (key: string) =>
    s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);

  it("refuses a body whose SHA-256 is not the one it declares (400 BadDigest), and stores nothing", async () => {
    const key = "checks/forged.jpg";
    const error = await s3
      .send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: forged, ChecksumSHA256: b64(sha(genuine)) }),
      )
      .catch((e: unknown) => e);
    expect([status(error), code(error)]).toEqual([400, "BadDigest"]);
    expect(await head(key)).toBeUndefined();
    const md5 = createHash("md5").update(genuine).digest("base64");
    const badMd5 = await s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: forged, ContentMD5: md5 }))
      .catch((e: unknown) => e);
    expect(code(badMd5)).toBe("BadDigest");
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: genuine, ChecksumSHA256: b64(sha(genuine)) }),
    );
    expect((await head(key))?.ContentLength).toBe(genuine.length);
  });

  it("checks a checksum that travels as an aws-chunked trailer, as SDKs send them", async () => {
    const trailing = client(stack.urls.aws, "WHEN_SUPPORTED");
    const body = Buffer.alloc(200_000, 7);
    const sent: string[] = [];
    trailing.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        sent.push(`${headers["content-encoding"]} ${headers["x-amz-trailer"]}`);
        return next(args);
      },
      { step: "finalizeRequest", name: "seeEncoding" },
    );
    await trailing.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "checks/chunked.bin",
        Body: Readable.from([body]),
        ContentLength: body.length,
        ChecksumAlgorithm: "SHA256",
      }),
    );
    trailing.destroy();
    expect(sent).toEqual(["aws-chunked x-amz-checksum-sha256"]);
    const wrong = `${(32).toString(16)}\r\n${"x".repeat(32)}\r\n0\r\nx-amz-checksum-sha256:${b64(sha(genuine))}\r\n\r\n`;
    const res = await fetch(`${stack.urls.aws}/${bucket}/checks/chunked-wrong.bin`, {
      method: "PUT",
      headers: { "content-encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-sha256" },
      body: wrong,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>BadDigest</Code>");
    expect((await head("checks/chunked.bin"))?.ContentLength).toBe(body.length);
  });

  it("never replaces an existing key under If-None-Match: * (412), for a PUT and a multipart completion", async () => {
    const key = "checks/existing.jpg";
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: genuine }));
    const again = await s3
      .send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: forged, IfNoneMatch: "*" }))
      .catch((e: unknown) => e);
    expect([status(again), code(again)]).toEqual([412, "PreconditionFailed"]);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: forged }),
    );
    const complete = await multipartUpload.complete(s3, { bucket, key, expiresIn: 60 }, UploadId ?? "");
    const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${part.ETag}</ETag></Part></CompleteMultipartUpload>`;
    const res = await fetch(complete.url, { method: "POST", headers: complete.headers, body: xml });
    expect(res.status).toBe(412);
    const kept = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(Buffer.from(await (kept.Body?.transformToByteArray() ?? new Uint8Array()))).toEqual(genuine);
  });

  it("deletes under If-Match only the object with that ETag", async () => {
    const key = "checks/delete.jpg";
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: genuine }));
    const wrong = await s3
      .send(
        new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: '"0123456789abcdef0123456789abcdef"' }),
      )
      .catch((e: unknown) => e);
    expect(status(wrong)).toBe(412);
    expect(await head(key)).toBeDefined();
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, IfMatch: put.ETag }));
    expect(await head(key)).toBeUndefined();
  });

  it("refuses a forged upload through the API's presigned PUT, POST and multipart parts", async () => {
    const key = `originals/${sha(genuine)}.jpg`;
    const put = await presignPut(s3, { bucket, key, upload: declared(genuine), expiresIn: 60 });
    const { "content-length": _l, ...headers } = put.headers;
    const refused = await fetch(put.url, { method: "PUT", headers, body: new Uint8Array(forged) });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("<Code>BadDigest</Code>");

    const { Conditions, Fields } = postPolicy(declared(genuine));
    const post = await createPresignedPost(s3, { Bucket: bucket, Key: key, Conditions, Fields, Expires: 60 });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
    form.append("file", new Blob([new Uint8Array(forged)], { type: "image/jpeg" }), "IMG_1.JPG");
    expect((await fetch(post.url, { method: "POST", body: form })).status).toBe(400);

    const create = await multipartUpload.create(s3, {
      bucket,
      key,
      upload: declared(genuine),
      expiresIn: 60,
    });
    const created = await (await fetch(create.url, { method: "POST", headers: create.headers })).text();
    const uploadId = /<UploadId>(.+)<\/UploadId>/.exec(created)?.[1] ?? "";
    const part = await multipartUpload.part(
      s3,
      { bucket, key, expiresIn: 60 },
      { uploadId, partNumber: 1, size: forged.length, sha256: sha(genuine) },
    );
    const { "content-length": _p, ...partHeaders } = part.headers;
    expect(
      (await fetch(part.url, { method: "PUT", headers: partHeaders, body: new Uint8Array(forged) })).status,
    ).toBe(400);
    expect(await head(key)).toBeUndefined();

    const honest = await fetch(put.url, { method: "PUT", headers, body: new Uint8Array(genuine) });
    expect(honest.status).toBe(200);
    expect((await head(key))?.Metadata).toMatchObject({ "original-name": "IMG_1.JPG", source: "phone" });
  });
});
