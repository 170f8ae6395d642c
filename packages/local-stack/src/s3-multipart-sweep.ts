/**
 * The local stand-in for the bucket's lifecycle rule that aborts stale multipart uploads (AWS:
 * `infra/storage.ts`, 14 days): uploads a closed tab or a vanished phone left open are aborted
 * after {@link ABANDONED_AFTER_MS}, so their parts stop filling the local disk. It talks S3 like any
 * client (ListMultipartUploads, which `s3-multipart-listing.ts` answers, then AbortMultipartUpload).
 */
import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Logger } from "@photo-relay/core";

/** Uploads older than this are abandoned: Uppy's resume state in the browser expires after 24 h too. */
export const ABANDONED_AFTER_MS = 24 * 3600_000;
const SWEEP_EVERY_MS = 3600_000;

/** Aborts every upload in `bucket` initiated before `cutoff`; returns the keys it aborted. */
export async function sweepAbandonedUploads(s3: S3Client, bucket: string, cutoff: Date): Promise<string[]> {
  const aborted: string[] = [];
  let KeyMarker: string | undefined;
  let UploadIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker, UploadIdMarker }),
    );
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= cutoff) continue;
      await s3.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
      aborted.push(upload.Key);
    }
    KeyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    UploadIdMarker = page.IsTruncated ? page.NextUploadIdMarker : undefined;
  } while (KeyMarker);
  return aborted;
}

/** Sweeps at start and every hour; returns the function that stops it. */
export function startMultipartSweep(s3: S3Client, bucket: string, logger: Logger): () => void {
  const sweep = () =>
    sweepAbandonedUploads(s3, bucket, new Date(Date.now() - ABANDONED_AFTER_MS))
      .then((keys) => keys.length && logger.info("aborted abandoned multipart uploads", { keys }))
      .catch((error: unknown) => logger.warn("multipart sweep failed", { error }));
  void sweep();
  const timer = setInterval(sweep, SWEEP_EVERY_MS).unref();
  return () => clearInterval(timer);
}
