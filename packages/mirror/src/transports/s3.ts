/**
 * Another S3 bucket. S3 never shows a partial object, so there is no temporary key to rename: the
 * body is read whole, its length checked against the source, written with one PutObject and then
 * checked with HeadObject.
 */
import { readFile } from "node:fs/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
// zod/mini, as the configuration (core's config-schema.ts): cheaper to load at a cold start.
import * as z from "zod/mini";
import { networkCode, transportError } from "../classify.ts";
import { TransportError, type TransportErrorCode } from "../errors.ts";
import { sourceSize } from "../file-transport.ts";
import { joinPath, normaliseRemotePath, type Transport } from "../transport.ts";

export const s3OptionsSchema = z.object({
  type: z.literal("s3"),
  name: z.optional(z.string().check(z.minLength(1))),
  bucket: z.string().check(z.minLength(3)),
  /** Key prefix, e.g. "mirror/"; plays the role of the other transports' `root`. */
  prefix: z._default(z.string(), ""),
  region: z.optional(z.string()),
  endpoint: z.optional(z.url()),
  forcePathStyle: z._default(z.boolean(), false),
});

export type S3Options = z.infer<typeof s3OptionsSchema>;

/** `s3` replaces the client built from the options (tests, or a client shared with the caller). */
export function createS3Transport(options: S3Options, deps: { s3?: S3Client } = {}): Transport {
  const name = options.name ?? "s3";
  const owned = deps.s3 === undefined;
  const s3 =
    deps.s3 ??
    new S3Client({
      requestChecksumCalculation: "WHEN_REQUIRED",
      forcePathStyle: options.forcePathStyle,
      ...(options.region !== undefined && { region: options.region }),
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
    });
  const Bucket = options.bucket;

  const key = (remotePath: string): string => {
    const path = normaliseRemotePath(remotePath);
    if (path === undefined)
      throw new TransportError(name, "invalid_path", `invalid remote path "${remotePath}"`);
    return joinPath(options.prefix, path);
  };
  const size = async (Key: string): Promise<number | undefined> => {
    try {
      return (await s3.send(new HeadObjectCommand({ Bucket, Key }))).ContentLength ?? 0;
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  };
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof TransportError) throw error;
      const code = s3Code(error);
      throw transportError(name, code, `s3://${Bucket}: ${(error as Error).message}`, error);
    }
  };
  const mismatch = (Key: string, actual: number | undefined, expected: number) =>
    new TransportError(name, "size_mismatch", `${Key}: ${actual ?? "no"} bytes, expected ${expected}`);

  return {
    name,
    async put(source, remotePath) {
      const Key = key(remotePath);
      const expected = await sourceSize(source);
      const Body = typeof source === "string" ? await readFile(source) : source;
      if (Body.length !== expected) throw mismatch(Key, Body.length, expected);
      return guard(async () => {
        await s3.send(new PutObjectCommand({ Bucket, Key, Body, ContentLength: expected }));
        const actual = await size(Key);
        if (actual !== expected) throw mismatch(Key, actual, expected);
        return { bytes: expected };
      });
    },
    async read(remotePath) {
      const Key = key(remotePath);
      return guard(async () => {
        try {
          const out = await s3.send(new GetObjectCommand({ Bucket, Key }));
          return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
        } catch (error) {
          if (status(error) === 404) return undefined;
          throw error;
        }
      });
    },
    async remove(remotePath) {
      const Key = key(remotePath);
      await guard(() => s3.send(new DeleteObjectCommand({ Bucket, Key })));
    },
    async stat(remotePath) {
      const Key = key(remotePath);
      const bytes = await guard(() => size(Key));
      return bytes === undefined ? undefined : { size: bytes };
    },
    async close() {
      if (owned) s3.destroy();
    },
  };
}

function status(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function s3Code(error: unknown): TransportErrorCode {
  const http = status(error);
  if (http === 401 || http === 403) return "permission_denied";
  if (http === 429 || (http !== undefined && http >= 500)) return "server_busy";
  if (http !== undefined) return "remote_error";
  return networkCode(error, "transfer") ?? "remote_error";
}
