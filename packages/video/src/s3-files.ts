/**
 * S3 objects to and from local files as streams: the body is piped to disk and read back from disk
 * in multipart chunks, so memory stays bounded (about `partSize × queueSize`) whatever the size.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { RetryableError } from "@photo-relay/core";

export interface S3Location {
  bucket: string;
  key: string;
}

/** The object's size in bytes (before downloading it, for the disk budget). */
export async function objectSize(s3: S3Client, from: S3Location, signal?: AbortSignal): Promise<number> {
  const head = await s3.send(
    new HeadObjectCommand({ Bucket: from.bucket, Key: from.key }),
    signal ? { abortSignal: signal } : {},
  );
  return head.ContentLength ?? 0;
}

/** Streams the object to `path`; a short body (connection cut) is a retryable error, never a short file. */
export async function downloadToFile(
  s3: S3Client,
  from: S3Location,
  path: string,
  signal?: AbortSignal,
): Promise<number> {
  const object = await s3.send(
    new GetObjectCommand({ Bucket: from.bucket, Key: from.key }),
    signal ? { abortSignal: signal } : {},
  );
  if (!object.Body)
    throw new RetryableError("s3_empty_body", `s3://${from.bucket}/${from.key} came without a body`);
  await pipeline(object.Body as Readable, createWriteStream(path), signal ? { signal } : {});
  const { size } = await stat(path);
  if (object.ContentLength !== undefined && size !== object.ContentLength) {
    throw new RetryableError(
      "s3_short_body",
      `s3://${from.bucket}/${from.key}: got ${size} of ${object.ContentLength} bytes`,
    );
  }
  return size;
}

/** Streams `path` to the object (multipart above 8 MiB); resolves with the bytes sent. */
export async function uploadFile(
  s3: S3Client,
  path: string,
  to: S3Location,
  contentType: string,
  signal?: AbortSignal,
): Promise<number> {
  const { size } = await stat(path);
  const upload = new Upload({
    client: s3,
    params: {
      Bucket: to.bucket,
      Key: to.key,
      Body: createReadStream(path),
      ContentType: contentType,
      ContentLength: size,
    },
    partSize: 8 * 1024 * 1024,
    queueSize: 4,
    ...(signal && { abortController: abortControllerFor(signal) }),
  });
  await upload.done();
  return size;
}

function abortControllerFor(signal: AbortSignal): AbortController {
  const controller = new AbortController();
  signal.addEventListener("abort", () => controller.abort(signal.reason), { once: true });
  return controller;
}
