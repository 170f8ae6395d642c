/**
 * Reads an original from S3 in one pass, hashing it on the way (the hash is the photo id). An
 * image is gathered into one buffer of the announced size for the converter, so its bytes are held
 * once; a video is never held at all: it streams to a temporary file, which convert probes and
 * {@link discardOriginal} deletes.
 *
 * The hash stays although the agent hashed the same bytes (≈ 9 ms of CPU for a 15 MB frame, on the
 * pass that reads them anyway): the key only claims an id. S3 checked the agent's parts against
 * their MD5s, not against the SHA-256 in the key, and a phone's upload may carry no checksum at
 * all, so this is the one place that proves the bytes are the photo their id names (`quarantine.ts`
 * takes the ones that are not). S3 keeps no whole-object SHA-256 of a multipart upload to trust
 * instead (only a composite of per-part checksums).
 */
import { createHash, type Hash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { GetObjectCommand, NoSuchKey, type S3Client } from "@aws-sdk/client-s3";
import { type PhotoId, RetryableError } from "@photo-relay/core";
import { detectFormat } from "@photo-relay/imaging";

/** `detectFormat` wants the first 64 KiB to tell a camera's RAW from a plain TIFF. */
const HEAD_BYTES = 64 * 1024;

interface OriginalFile {
  id: PhotoId;
  bytes: number;
  /** The object's user metadata (`original-name`, `source`). */
  metadata: Record<string, string>;
  /** The ETag of the version read: a delete that must not hit a newer upload is made conditional on it. */
  etag: string | undefined;
}

export type Original =
  | (OriginalFile & { kind: "image"; data: Buffer })
  | (OriginalFile & { kind: "video"; path: string; container: "mp4" | "mov" });

/** The original at `key`, or `undefined` when it is gone (deleted since the notification). */
export async function readOriginal(s3: S3Client, bucket: string, key: string): Promise<Original | undefined> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => {
    if (error instanceof NoSuchKey) return undefined;
    throw error;
  });
  if (!got?.Body) return undefined;
  const hash = createHash("sha256");
  const chunks = hashed(got.Body as AsyncIterable<Uint8Array>, hash)[Symbol.asyncIterator]();
  const head = await readHead(chunks);
  const format = detectFormat(Buffer.concat(head));
  const metadata = got.Metadata ?? {};
  const etag = got.ETag;
  if (format?.kind === "video") {
    const dir = await mkdtemp(join(tmpdir(), "photo-relay-original-"));
    const path = join(dir, `original.${format.format}`);
    await pipeline(Readable.from(replay(head, chunks)), createWriteStream(path));
    const container = format.format === "mov" ? "mov" : "mp4";
    const bytes = got.ContentLength ?? 0;
    return { kind: "video", id: hash.digest("hex"), bytes, metadata, etag, path, container };
  }
  const data = await gather(replay(head, chunks), got.ContentLength);
  return { kind: "image", id: hash.digest("hex"), bytes: data.length, metadata, etag, data };
}

/** The uploader's file name (S3 metadata is ASCII: uploaders percent-encode names such as `Müller.jpg`). */
export function originalName(original: Original): string | undefined {
  const name = original.metadata["original-name"];
  if (!name) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Deletes what {@link readOriginal} left on disk. */
export async function discardOriginal(original: Original): Promise<void> {
  if (original.kind === "video") await rm(dirname(original.path), { recursive: true, force: true });
}

async function* hashed(body: AsyncIterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const chunk of body) {
    hash.update(chunk);
    yield chunk;
  }
}

async function readHead(chunks: AsyncIterator<Uint8Array>): Promise<Uint8Array[]> {
  const head: Uint8Array[] = [];
  for (let bytes = 0; bytes < HEAD_BYTES; ) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value);
    bytes += next.value.length;
  }
  return head;
}

async function* replay(head: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* head;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** All chunks in one buffer of the announced size: no second copy of the bytes. */
async function gather(chunks: AsyncIterable<Uint8Array>, size: number | undefined): Promise<Buffer> {
  if (size === undefined) {
    const all: Uint8Array[] = [];
    for await (const chunk of chunks) all.push(chunk);
    return Buffer.concat(all);
  }
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for await (const chunk of chunks) {
    if (at + chunk.length > size) throw shortRead(size, at + chunk.length);
    out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== size) throw shortRead(size, at);
  return out;
}

const shortRead = (announced: number, got: number) =>
  new RetryableError("original_read", `S3 announced ${announced} bytes and sent ${got}`);
