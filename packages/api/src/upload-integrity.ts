/**
 * What keeps a photo id honest on the way into S3, in one place for every upload route. The id
 * is the SHA-256 the client declares, and the key is `originals/<id><ext>`; so:
 *
 * 1. Before anything is signed: a declared size over `api.maxUploadBytes` is refused
 *    ({@link checkDeclaredUpload}), as is a key that already holds the original.
 * 2. One PUT ({@link presignPut}): the signature covers `x-amz-checksum-sha256` (the declared id,
 *    base64), `If-None-Match: *`, `Content-Length`, `Content-Type` and the metadata, as headers the
 *    client must send as given. S3 then stores exactly the bytes whose SHA-256 is the id, or
 *    nothing (400 BadDigest), and never replaces an existing original (412).
 * 3. One POST form ({@link postPolicy}): the policy pins `x-amz-checksum-sha256`, the exact size and
 *    the type. POST has no conditional write, so an existing original could be written again, but
 *    only with its own bytes (the checksum pins them): prefer the PUT.
 * 4. Multipart ({@link multipartUpload}): S3 cannot check a whole-object SHA-256 of a multipart
 *    upload (SHA-256 is only a checksum of the part checksums there), so each part's signature
 *    covers that part's SHA-256 (the client hashes each part), and the completion carries
 *    `If-None-Match: *`. The whole object's id is then checked by convert, which hashes what it
 *    reads and quarantines a mismatch: a client may still upload other bytes than it declared
 *    this way, but never under an existing photo, and they never become that photo.
 *
 * @example
 * checkDeclaredUpload(rt.config, upload);
 * const { url, headers } = await presignPut(rt.clients.s3, { bucket, key, upload, expiresIn: 900 });
 * // the client: fetch(url, { method: "PUT", headers, body: file })
 */
import {
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import type { PresignedPostOptions } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Config } from "@photo-relay/core";
import { UploadRefusedError } from "./errors.ts";

type Conditions = NonNullable<PresignedPostOptions["Conditions"]>[number];

/** What the client declares about the file before anything is signed. */
export interface DeclaredUpload {
  filename: string;
  /** Bytes. */
  size: number;
  contentType: string;
  /** The file's SHA-256 in lower-case hex: the photo id. */
  sha256: string;
  /** Recorded as the original's `source` (`phone`, `guest:<link>`, …). */
  source: string;
}

export interface UploadTarget {
  bucket: string;
  key: string;
  upload: DeclaredUpload;
  expiresIn: number;
}

/** A presigned request: send it to `url` with exactly these headers (each is signed). */
export interface SignedRequest {
  method: "PUT" | "POST";
  url: string;
  headers: Record<string, string>;
}

/** The checks before signing: the declared size within the limit (and not empty). */
export function checkDeclaredUpload(config: Pick<Config, "api">, upload: Pick<DeclaredUpload, "size">): void {
  const limit = config.api.maxUploadBytes;
  if (upload.size > limit) {
    throw new UploadRefusedError(
      "too_large",
      `the file is ${upload.size} bytes; uploads take at most ${limit}`,
    );
  }
  if (upload.size < 1) throw new UploadRefusedError("upload_empty", "the file is empty");
}

/** Refuses to sign an upload to a key that already holds its original. */
export async function checkNotStored(s3: S3Client, bucket: string, key: string): Promise<void> {
  const stored = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    (error: unknown) => {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
        return false;
      throw error;
    },
  );
  if (stored) throw new UploadRefusedError("already_there", "this photo is already uploaded");
}

/** The SHA-256 as S3 checksums carry it: base64 of the 32 bytes. */
export const checksumOf = (sha256Hex: string): string => Buffer.from(sha256Hex, "hex").toString("base64");

/** S3 user metadata is ASCII: the name travels percent-encoded. */
export const uploadMetadata = (upload: DeclaredUpload) => ({
  "original-name": encodeURIComponent(upload.filename),
  source: upload.source,
});

/** One PUT of the whole file; see the module's point 2. */
export function presignPut(s3: S3Client, target: UploadTarget): Promise<SignedRequest> {
  const { bucket, key, upload } = target;
  const metadata = uploadMetadata(upload);
  const headers = {
    "content-length": String(upload.size),
    "content-type": upload.contentType,
    "if-none-match": "*",
    "x-amz-checksum-sha256": checksumOf(upload.sha256),
    ...Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
  };
  const command = new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    ContentLength: upload.size,
    ContentType: upload.contentType,
    ChecksumSHA256: headers["x-amz-checksum-sha256"],
    IfNoneMatch: "*",
    Metadata: metadata,
  });
  return signed((o) => getSignedUrl(s3, command, o), "PUT", headers, target.expiresIn);
}

/** The POST policy's conditions and fields (`createPresignedPost`); see the module's point 3. */
export function postPolicy(upload: DeclaredUpload): {
  Conditions: Conditions[];
  Fields: Record<string, string>;
} {
  const Fields: Record<string, string> = {
    "Content-Type": upload.contentType,
    "x-amz-checksum-algorithm": "SHA256",
    "x-amz-checksum-sha256": checksumOf(upload.sha256),
    ...Object.fromEntries(Object.entries(uploadMetadata(upload)).map(([k, v]) => [`x-amz-meta-${k}`, v])),
  };
  const Conditions: Conditions[] = [
    ["content-length-range", upload.size, upload.size],
    ...Object.entries(Fields).map(([field, value]): Conditions => ["eq", `$${field}`, value]),
  ];
  return { Conditions, Fields };
}

/** Multipart on one key; see the module's point 4. Each call signs one request. */
export const multipartUpload = {
  /** Starts the upload; its parts must then carry SHA-256 checksums. */
  create(s3: S3Client, target: UploadTarget): Promise<SignedRequest> {
    const { bucket, key, upload } = target;
    const metadata = uploadMetadata(upload);
    const headers = {
      "content-type": upload.contentType,
      "x-amz-checksum-algorithm": "SHA256",
      "x-amz-checksum-type": "COMPOSITE",
      ...Object.fromEntries(Object.entries(metadata).map(([k, v]) => [`x-amz-meta-${k}`, v])),
    };
    const command = new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: upload.contentType,
      ChecksumAlgorithm: "SHA256",
      ChecksumType: "COMPOSITE",
      Metadata: metadata,
    });
    return signed((o) => getSignedUrl(s3, command, o), "POST", headers, target.expiresIn);
  },
  /** One part of `size` bytes whose SHA-256 (hex) the client computed. */
  part(
    s3: S3Client,
    target: Omit<UploadTarget, "upload">,
    part: { uploadId: string; partNumber: number; size: number; sha256: string },
  ): Promise<SignedRequest> {
    const headers = { "content-length": String(part.size), "x-amz-checksum-sha256": checksumOf(part.sha256) };
    const command = new UploadPartCommand({
      Bucket: target.bucket,
      Key: target.key,
      UploadId: part.uploadId,
      PartNumber: part.partNumber,
      ContentLength: part.size,
      ChecksumSHA256: headers["x-amz-checksum-sha256"],
    });
    return signed((o) => getSignedUrl(s3, command, o), "PUT", headers, target.expiresIn);
  },
  /** The completion, refused by S3 when the key already holds an object. */
  complete(s3: S3Client, target: Omit<UploadTarget, "upload">, uploadId: string): Promise<SignedRequest> {
    const command = new CompleteMultipartUploadCommand({
      Bucket: target.bucket,
      Key: target.key,
      UploadId: uploadId,
      IfNoneMatch: "*",
    });
    return signed((o) => getSignedUrl(s3, command, o), "POST", { "if-none-match": "*" }, target.expiresIn);
  },
  /** The completion's body lists each part with its checksum, as S3 wants for a SHA-256 upload. */
  completedParts(parts: { partNumber: number; etag: string; sha256: string }[]): CompletedPart[] {
    return parts.map((p) => ({
      PartNumber: p.partNumber,
      ETag: p.etag,
      ChecksumSHA256: checksumOf(p.sha256),
    }));
  },
};

/**
 * Signs `command` with `headers` kept as signed headers (the SDK would otherwise move the `x-amz-*`
 * ones into the query string, where S3 does not check a checksum: aws/aws-sdk-js-v3#4448).
 */
async function signed(
  presign: (options: NonNullable<Parameters<typeof getSignedUrl>[2]>) => Promise<string>,
  method: SignedRequest["method"],
  headers: Record<string, string>,
  expiresIn: number,
): Promise<SignedRequest> {
  const names = new Set(Object.keys(headers));
  const url = await presign({ expiresIn, unhoistableHeaders: names, signableHeaders: names });
  return { method, url, headers };
}
