/**
 * What "delivered" means: HeadObject shows the right size, our whole-object SHA-256 in the object's
 * metadata and, right after our own multipart upload, the ETag S3 derives from our part MD5s.
 * (fauxqs 2.4.1 supports neither CRC64NVME nor FULL_OBJECT checksums, so the SHA-256 rides as metadata.)
 */
import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, type HeadObjectCommandOutput } from "@aws-sdk/client-s3";
import { isNotFound } from "../errors.ts";
import type { JournalRecord } from "../spool/journal.ts";
import type { S3Target } from "./s3-target.ts";

/** S3 object metadata for an original (values are ASCII, so the name is URI-encoded). */
export function objectMetadata(record: JournalRecord): Record<string, string> {
  return {
    "original-name": encodeURIComponent(record.originalName),
    source: "agent",
    "captured-at": record.capturedAt,
    sha256: record.sha256,
  };
}

/** `"<md5 of the concatenated part MD5s>-<count>"`, as S3 computes it for a multipart object. */
export function expectedMultipartEtag(record: JournalRecord): string | undefined {
  const parts = record.upload?.parts;
  if (!parts?.length) return undefined;
  const digests = Buffer.concat(parts.map((p) => Buffer.from(p.md5, "base64")));
  return `"${createHash("md5").update(digests).digest("hex")}-${parts.length}"`;
}

/** "match", "missing", or a short description of the mismatch. */
export async function verifyObject(ctx: S3Target, record: JournalRecord, etag?: string): Promise<string> {
  let head: HeadObjectCommandOutput;
  try {
    head = await ctx.send(new HeadObjectCommand({ Bucket: ctx.bucket, Key: record.key }));
  } catch (error) {
    if (isNotFound(error)) return "missing";
    throw error;
  }
  if (head.ContentLength !== record.bytes) return `size ${head.ContentLength} ≠ ${record.bytes}`;
  const sha = head.Metadata?.sha256;
  // An object written by another uploader under the same content-addressed key may lack our metadata.
  if (sha !== undefined && sha !== record.sha256) return "sha256 metadata differs";
  // SSE-KMS ETags are not MD5-based, so they cannot be compared.
  if (etag && !head.ServerSideEncryption?.startsWith("aws:kms") && head.ETag !== etag)
    return `ETag ${head.ETag} ≠ ${etag}`;
  return "match";
}

/**
 * After our multipart upload vanished (expired, aborted, or completed by a request whose answer
 * was lost): "match", "missing", or what differs. When every part was recorded, the ETag derived
 * from them must match as well; an object with another ETag (another uploader's part plan, or a
 * completion from damaged parts) is read back and hashed, and only its bytes decide.
 */
export async function findUploaded(ctx: S3Target, record: JournalRecord): Promise<string> {
  const upload = record.upload;
  const complete = upload && upload.parts.length === Math.max(1, Math.ceil(record.bytes / upload.partSize));
  const found = await verifyObject(ctx, record, complete ? expectedMultipartEtag(record) : undefined);
  if (!found.startsWith("ETag")) return found;
  return (await objectSha256(ctx, record.key)) === record.sha256 ? "match" : `${found}, SHA-256 differs`;
}

async function objectSha256(ctx: S3Target, key: string): Promise<string> {
  const object = await ctx.send(new GetObjectCommand({ Bucket: ctx.bucket, Key: key }));
  const hash = createHash("sha256");
  for await (const chunk of (object.Body ?? []) as AsyncIterable<Uint8Array>) hash.update(chunk);
  return hash.digest("hex");
}
