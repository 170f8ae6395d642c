/**
 * The local stack's S3 takes what AWS takes in one request (a phone's 20 MB photo in one presigned
 * PUT, the SDK's PutObject with its checksum, 16 MiB parts), many at once, through the one port
 * (`s3-front.ts`), the integrity gate (`s3-integrity.ts`) and the S3 thread's emulator; a client
 * that trickles its body or hangs up halfway holds up no one else.
 */
import { createHash, randomBytes } from "node:crypto";
import { request } from "node:http";
import { Readable } from "node:stream";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { presignPut } from "@photo-relay/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../../../test/support/stack.ts";
import type { LocalStack } from "../src/index.ts";

const MB = 1_000_000;
const MiB = 1024 * 1024;
const bucket = "media";
const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const b64sha = (data: Buffer) => createHash("sha256").update(data).digest("base64");
const md5 = (data: Buffer) => createHash("md5").update(data).digest("base64");
const client = (endpoint: string, checksums: "WHEN_REQUIRED" | "WHEN_SUPPORTED" = "WHEN_REQUIRED") =>
  new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    requestChecksumCalculation: checksums,
  });

describe("the local stack's S3 under large uploads at once", () => {
  let stack: LocalStack;
  let s3: S3Client;
  beforeAll(async () => {
    stack = await testStack();
    s3 = client(stack.urls.aws);
  });
  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
  });

  const stored = async (key: string) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return sha(Buffer.from(await (got.Body?.transformToByteArray() ?? new Uint8Array())));
  };

  /** A phone's upload: the API's presigned PUT, its signed headers, the whole file in one body. */
  const phonePut = async (data: Buffer) => {
    const key = `originals/${sha(data)}.jpg`;
    const upload = {
      filename: "IMG.JPG",
      size: data.length,
      contentType: "image/jpeg",
      sha256: sha(data),
      source: "phone",
    };
    const put = await presignPut(s3, { bucket, key, upload, expiresIn: 300 });
    const { "content-length": _length, ...headers } = put.headers;
    const res = await fetch(put.url, { method: "PUT", headers, body: new Uint8Array(data) });
    return { key, status: res.status, text: await res.text() };
  };

  it("stores six presigned 20-25 MB PUTs, two SDK PutObjects with checksums and two 16 MiB parts sent at once", async () => {
    const phones = [20, 21, 22, 23, 24, 25].map((mb) => randomBytes(mb * MB));
    const sdkHeader = randomBytes(22 * MB);
    const sdkTrailer = randomBytes(21 * MB);
    const parts = [randomBytes(16 * MiB), randomBytes(16 * MiB)];
    const trailing = client(stack.urls.aws, "WHEN_SUPPORTED");
    const multipartKey = "large/multipart.bin";
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: multipartKey }),
    );

    const [phoneResults, , , etags] = await Promise.all([
      Promise.all(phones.map(phonePut)),
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "large/sdk-header.bin",
          Body: sdkHeader,
          ChecksumSHA256: b64sha(sdkHeader),
        }),
      ),
      trailing.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: "large/sdk-trailer.bin",
          Body: Readable.from([sdkTrailer]),
          ContentLength: sdkTrailer.length,
          ChecksumAlgorithm: "SHA256",
        }),
      ),
      Promise.all(
        parts.map((part, i) =>
          s3
            .send(
              new UploadPartCommand({
                Bucket: bucket,
                Key: multipartKey,
                UploadId,
                PartNumber: i + 1,
                Body: part,
                ContentMD5: md5(part),
              }),
            )
            .then((answer) => answer.ETag),
        ),
      ),
    ]);
    trailing.destroy();
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: multipartKey,
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );

    expect(phoneResults.map((r) => r.status)).toEqual(phones.map(() => 200));
    for (const [i, data] of phones.entries())
      expect(await stored(phoneResults[i]?.key ?? "")).toBe(sha(data));
    expect(await stored("large/sdk-header.bin")).toBe(sha(sdkHeader));
    expect(await stored("large/sdk-trailer.bin")).toBe(sha(sdkTrailer));
    expect(await stored(multipartKey)).toBe(sha(Buffer.concat(parts)));
  }, 180_000);

  /** A PUT written by hand: its body in `chunks`, each after the promise `pace` gives. */
  const handPut = (key: string, data: Buffer, chunks: number, pace: (i: number) => Promise<void>) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const url = new URL(`${stack.urls.aws}/${bucket}/${key}`);
      const req = request(url, {
        method: "PUT",
        headers: { "content-length": data.length, "x-amz-checksum-sha256": b64sha(data) },
      });
      req.on("error", reject);
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8").on("data", (c: string) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      void (async () => {
        const size = Math.ceil(data.length / chunks);
        for (let i = 0; i < chunks; i++) {
          await pace(i);
          req.write(data.subarray(i * size, (i + 1) * size));
        }
        req.end();
      })();
    });

  it("keeps taking large PUTs while one client trickles its body and another hangs up halfway", async () => {
    const slow = randomBytes(3 * MB);
    const abandoned = randomBytes(20 * MB);
    const others = [20, 22, 24].map((mb) => randomBytes(mb * MB));
    const tick = () => new Promise<void>((r) => setTimeout(r, 40));
    const trickled = handPut("large/trickled.bin", slow, 60, tick);
    const hungUp = new Promise<void>((resolve) => {
      const req = request(new URL(`${stack.urls.aws}/${bucket}/large/abandoned.bin`), {
        method: "PUT",
        headers: { "content-length": abandoned.length, "x-amz-checksum-sha256": b64sha(abandoned) },
      });
      req.on("error", () => resolve());
      req.write(abandoned.subarray(0, 14 * MB), () => {
        req.destroy();
        resolve();
      });
    });
    const [slowAnswer, , ...phoneResults] = await Promise.all([trickled, hungUp, ...others.map(phonePut)]);
    expect(slowAnswer.status).toBe(200);
    expect(phoneResults.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await stored("large/trickled.bin")).toBe(sha(slow));
    for (const [i, data] of others.entries())
      expect(await stored(phoneResults[i]?.key ?? "")).toBe(sha(data));
    const head = await s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: "large/abandoned.bin" }))
      .catch((e: unknown) => e);
    expect((head as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(404);
    // The abandoned key takes a whole upload afterwards.
    expect((await handPut("large/abandoned.bin", abandoned, 4, async () => {})).status).toBe(200);
    expect(await stored("large/abandoned.bin")).toBe(sha(abandoned));
  }, 180_000);

  it("refuses a body declared over 256 MiB with EntityTooLarge before reading it, and stores nothing", async () => {
    const declared = 300 * MiB;
    let sent = 0;
    const zeros = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= declared) return controller.close();
        sent += MiB;
        controller.enqueue(new Uint8Array(MiB));
      },
    });
    const res = await fetch(`${stack.urls.aws}/${bucket}/large/too-large.bin`, {
      method: "PUT",
      headers: { "content-length": String(declared) },
      body: zeros,
      duplex: "half",
    } as RequestInit);
    expect([res.status, await res.text()]).toEqual([
      400,
      expect.stringContaining("<Code>EntityTooLarge</Code>"),
    ]);
    expect(sent).toBeLessThan(declared);
    const head = await s3
      .send(new HeadObjectCommand({ Bucket: bucket, Key: "large/too-large.bin" }))
      .catch((e: unknown) => e);
    expect((head as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode).toBe(404);
  });
});
