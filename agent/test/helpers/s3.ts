/** In-process fauxqs (S3 emulator) on a random port with the "media" bucket, plus readers for the tests. */

import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { afterAll, beforeAll } from "vitest";

export const BUCKET = "media";

export interface TestS3 {
  server: FauxqsServer;
  endpoint: string;
  client: S3Client;
  stop(): Promise<void>;
}

export function s3Client(endpoint: string, accessKeyId = "test"): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: "test" },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export async function startS3(): Promise<TestS3> {
  const server = await startFauxqs({ port: 0, logger: false });
  server.createBucket(BUCKET);
  const client = s3Client(server.address);
  return {
    server,
    endpoint: server.address,
    client,
    async stop() {
      client.destroy();
      await server.stop();
    },
  };
}

/** Every key under `originals/` with its size. */
export async function listOriginals(client: S3Client): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: "originals/",
        ...(token && { ContinuationToken: token }),
      }),
    );
    for (const o of page.Contents ?? []) if (o.Key) out.set(o.Key, o.Size ?? 0);
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

export async function objectSha256(client: S3Client, key: string): Promise<string> {
  const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = await object.Body?.transformToByteArray();
  return createHash("sha256")
    .update(bytes ?? new Uint8Array())
    .digest("hex");
}

export async function objectMetadata(client: S3Client, key: string): Promise<Record<string, string>> {
  const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
  return head.Metadata ?? {};
}

/**
 * Holds every `commandName` request of `client` until `release()`; then each held request goes on,
 * or fails with `failWith` (a connection lost while the agent was stopping, say).
 */
export function gateCommand(
  client: S3Client,
  commandName: string,
  failWith?: () => Error,
): { release(): void } {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === commandName) {
        await held;
        if (failWith) throw failWith();
      }
      return next(args);
    },
    { step: "initialize" },
  );
  return { release };
}

/** fauxqs for one test file: started before its tests, stopped after. */
export function useS3(): { readonly s3: TestS3 } {
  let s3: TestS3 | undefined;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3?.stop();
  });
  return {
    get s3() {
      if (!s3) throw new Error("S3 is not started yet (use it inside a test)");
      return s3;
    },
  };
}
