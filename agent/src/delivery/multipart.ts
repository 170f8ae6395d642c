/**
 * The resumable multipart engine. The journal holds the UploadId and every part S3 acknowledged,
 * so an interrupted upload continues from its last finished part, also after a restart. Each part
 * carries its MD5; after completion the object's ETag must equal the one derived from those MD5s.
 */
import { open } from "node:fs/promises";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type UploadPartCommandOutput,
} from "@aws-sdk/client-s3";
import { RetryableError } from "@photo-relay/core/edge";
import type { BufferPool } from "../concurrency/buffer-pool.ts";
import { md5Base64 } from "../digest-thread.ts";
import {
  isConditionalConflict,
  isNoSuchUpload,
  isPreconditionFailed,
  ObjectConflictError,
  SpoolCorruptError,
} from "../errors.ts";
import type { FinishedPart, JournalRecord } from "../spool/journal.ts";
import { expectedMultipartEtag, findUploaded, objectMetadata, verifyObject } from "./object-check.ts";
import type { S3Target } from "./s3-target.ts";
import { withUnsignedPayload } from "./unsigned-payload.ts";
import type { PartLimits, Uplink } from "./uplink.ts";

export interface UploadContext extends S3Target {
  /** Part size and parts in flight follow the measured uplink within these limits. */
  limits: PartLimits;
  uplink: Uplink;
  /** Parts in flight across all files, with reused buffers: memory stays at `size × partSize`. */
  parts: BufferPool;
  /** Persists the record (the journal is the only truth about finished parts). */
  save: (record: JournalRecord) => Promise<void>;
  /** Bytes confirmed by S3 for this record so far. */
  onProgress: (record: JournalRecord, sent: number) => void;
}

const MAX_RESTARTS = 3;

/** Uploads the spooled file of `record` and verifies it; returns with `record.state === "verified"` persisted. */
export async function uploadRecord(
  record: JournalRecord,
  spoolPath: string,
  ctx: UploadContext,
): Promise<void> {
  for (let restart = 0; ; restart++) {
    if (restart > MAX_RESTARTS)
      throw new RetryableError("upload_restarts", `gave up restarting ${record.key} for now`);
    if (!record.upload) {
      // The same bytes may already be there (an earlier run, another source): then nothing is sent.
      if ((await verifyObject(ctx, record)) === "match") return markVerified(record, ctx);
      const created = await ctx.send(
        new CreateMultipartUploadCommand({
          Bucket: ctx.bucket,
          Key: record.key,
          ContentType: record.contentType,
          Metadata: objectMetadata(record),
        }),
      );
      if (!created.UploadId)
        throw new RetryableError("no_upload_id", "CreateMultipartUpload returned no UploadId");
      const partSize = ctx.uplink.partSize(record.bytes, ctx.limits);
      record.upload = { uploadId: created.UploadId, partSize, parts: [] };
      record.state = "uploading";
      await ctx.save(record); // before the first part, so a crash never orphans the upload
    }
    try {
      await sendParts(record, spoolPath, ctx);
      await complete(record, ctx);
    } catch (error) {
      if (isNoSuchUpload(error) || isConditionalConflict(error)) {
        // The upload is gone (expired, aborted, or completed by a request whose answer we lost).
        const found = await findUploaded(ctx, record);
        if (found === "match") return markVerified(record, ctx);
        if (found !== "missing") throw new ObjectConflictError(record.key, found);
        delete record.upload;
        record.state = "spooled";
        await ctx.save(record);
        continue;
      }
      if (isPreconditionFailed(error)) {
        const found = await verifyObject(ctx, record);
        if (found === "match") return markVerified(record, ctx);
        throw new ObjectConflictError(record.key, found);
      }
      throw error;
    }
    const found = await verifyObject(ctx, record, expectedMultipartEtag(record));
    if (found === "match") return markVerified(record, ctx);
    if (found === "missing")
      throw new RetryableError("not_visible", `${record.key} not visible after completion`);
    throw new ObjectConflictError(record.key, found);
  }
}

async function markVerified(record: JournalRecord, ctx: UploadContext): Promise<void> {
  record.state = "verified";
  delete record.upload;
  ctx.onProgress(record, record.bytes);
  await ctx.save(record);
}

async function sendParts(record: JournalRecord, spoolPath: string, ctx: UploadContext): Promise<void> {
  const upload = record.upload;
  if (!upload) return;
  const { partSize } = upload;
  const count = Math.max(1, Math.ceil(record.bytes / partSize));
  const done = new Set(upload.parts.map((p) => p.n));
  const pending: Promise<void>[] = [];
  let failure: unknown;
  let sent = upload.parts.reduce((sum, p) => sum + p.size, 0);
  ctx.onProgress(record, sent);
  const handle = await open(spoolPath, "r");
  try {
    // The spool copy was hashed when it was spooled; any later change (a rewritten hard-linked
    // original, a damaged disk) shows in its size or mtime, and then it is spooled again.
    const now = await handle.stat();
    if (
      now.size !== record.bytes ||
      (record.spoolMtimeMs !== undefined && now.mtimeMs !== record.spoolMtimeMs)
    ) {
      throw new SpoolCorruptError(record.key);
    }
    for (let n = 1; n <= count && failure === undefined; n++) {
      if (done.has(n)) continue; // acknowledged by S3 before the interruption (the journal says so)
      const size = Math.min(partSize, record.bytes - (n - 1) * partSize);
      ctx.parts.resize(ctx.uplink.inFlight(partSize, ctx.limits));
      const { buffer: body, release } = await ctx.parts.acquire(size);
      const startedAt = Date.now();
      const { bytesRead } = await handle.read(body, 0, size, (n - 1) * partSize);
      if (bytesRead !== size) {
        release();
        throw new SpoolCorruptError(record.key);
      }
      // Needed although the spool copy was hashed: S3 checks each part against its Content-MD5, so
      // bytes damaged between this read and S3's disk are refused, and the object's ETag, derived
      // from these digests, proves after completion that S3 holds exactly the parts we read.
      let md5: string;
      try {
        md5 = await md5Base64(body);
      } catch (error) {
        release();
        throw error;
      }
      const part = sendPart(ctx, record.key, upload.uploadId, n, body, md5)
        .finally(release) // the buffer is free once S3 answered; the journal write need not hold it
        .then(async (etag) => {
          ctx.uplink.record(size, startedAt);
          recordPart(upload.parts, { n, etag, md5, size });
          await ctx.save(record);
          sent += size;
          ctx.onProgress(record, sent);
        })
        .catch((error: unknown) => {
          failure ??= error;
        });
      pending.push(part);
    }
  } finally {
    await Promise.all(pending);
    await handle.close();
  }
  if (failure !== undefined) throw failure;
}

/** Times a part is sent again when S3 stored other bytes than it was sent (see {@link sendPart}). */
const DAMAGED_PART_ATTEMPTS = 3;

/**
 * Sends part `n` and returns its ETag. S3 refuses bytes that do not match the part's Content-MD5,
 * but an S3-compatible server may not check it (fauxqs does not): so the ETag, which is the MD5
 * of the bytes the server stored (except under SSE-KMS or SSE-C), must equal ours too; a part
 * damaged on the way is sent again, and a damaged part is never recorded, so never completed.
 */
async function sendPart(
  ctx: UploadContext,
  key: string,
  uploadId: string,
  n: number,
  body: Buffer,
  md5: string,
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const out = await ctx.send(
      withUnsignedPayload(
        new UploadPartCommand({
          Bucket: ctx.bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber: n,
          Body: body,
          ContentLength: body.length,
          ContentMD5: md5, // S3 rejects a part whose bytes were damaged on the way
        }),
      ),
    );
    if (!out.ETag) throw new RetryableError("no_etag", `part ${n} of ${key} returned no ETag`);
    if (!storedOtherBytes(out, md5)) return out.ETag;
    if (attempt === DAMAGED_PART_ATTEMPTS)
      throw new RetryableError(
        "part_damaged",
        `part ${n} of ${key} arrived damaged ${attempt} times (ETag ${out.ETag} is not its MD5)`,
      );
  }
}

function storedOtherBytes(out: UploadPartCommandOutput, md5: string): boolean {
  if (out.ServerSideEncryption?.startsWith("aws:kms") || out.SSECustomerAlgorithm) return false;
  return out.ETag?.replaceAll('"', "") !== Buffer.from(md5, "base64").toString("hex");
}

function recordPart(parts: FinishedPart[], part: FinishedPart): void {
  const at = parts.findIndex((p) => p.n === part.n);
  if (at >= 0) parts[at] = part;
  else parts.push(part);
  parts.sort((a, b) => a.n - b.n);
}

async function complete(record: JournalRecord, ctx: UploadContext): Promise<void> {
  const upload = record.upload;
  if (!upload) return;
  const count = Math.max(1, Math.ceil(record.bytes / upload.partSize));
  if (upload.parts.length !== count) {
    throw new RetryableError(
      "parts_missing",
      `${record.key}: ${upload.parts.length}/${count} parts recorded`,
    );
  }
  await ctx.send(
    new CompleteMultipartUploadCommand({
      Bucket: ctx.bucket,
      Key: record.key,
      UploadId: upload.uploadId,
      MultipartUpload: { Parts: upload.parts.map((p) => ({ PartNumber: p.n, ETag: p.etag })) },
      // Sent everywhere; fauxqs ignores it, AWS answers 412 and we decide with HeadObject.
      IfNoneMatch: "*",
    }),
  );
}
