/**
 * A forged photo id: the key `originals/<id>.<ext>` claims the SHA-256 of its bytes, and convert
 * hashes what it reads. When the two differ, the upload is no photo of ours. Its bytes are copied
 * to `quarantine/<actual sha256><ext>`, a `quarantined` record says what happened, and the object
 * is deleted from `originals/` so the genuine photo can still be uploaded under its key (uploads
 * refuse to overwrite an existing original). The claimed id's record is never created or touched.
 *
 * Order makes it safe to repeat: copy, record, delete. A redelivered notification finds the
 * original gone (nothing to do) or, after a crash before the delete, does the rest. The delete is
 * conditional on the ETag that was read, so an upload that replaced the object in between (the
 * genuine photo) is never deleted.
 */
import { CopyObjectCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import type { PhotoId } from "@photo-relay/core";
import { newQuarantinedRecord, quarantineRecordId } from "../../photo/refused-records.ts";
import type { Runtime } from "../../runtime.ts";
import type { StepContext } from "../../stage-runner.ts";
import { type Original, originalName } from "./original-reader.ts";

export const QUARANTINE_PREFIX = "quarantine/";

export async function quarantineUpload(
  rt: Runtime,
  key: string,
  original: Original,
  claimedId: PhotoId,
  step: StepContext,
): Promise<void> {
  const Bucket = rt.config.s3.bucket;
  const recordId = quarantineRecordId(key, original.id);
  // Failures from here on are this record's, never the claimed photo's.
  step.about(recordId);
  const quarantineKey = `${QUARANTINE_PREFIX}${original.id}${extensionOf(key)}`;
  await rt.clients.s3.send(
    new CopyObjectCommand({
      Bucket,
      Key: quarantineKey,
      CopySource: `${Bucket}/${key.split("/").map(encodeURIComponent).join("/")}`,
      MetadataDirective: "COPY",
    }),
  );
  const record = newQuarantinedRecord(
    { claimedId, actualId: original.id, uploadKey: key, quarantineKey, at: rt.now().toISOString() },
    original.bytes,
    originalName(original),
    original.metadata.source ?? "upload",
    rt.now(),
  );
  await rt.photos.ensure(record);
  const deleted = await rt.clients.s3
    .send(new DeleteObjectCommand({ Bucket, Key: key, ...(original.etag && { IfMatch: original.etag }) }))
    .then(
      () => true,
      (error: unknown) => {
        // 412: replaced since it was read; 404: deleted meanwhile. Either way, not ours to delete.
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
        if (status === 412 || status === 404) return false;
        throw error;
      },
    );
  const claimed = await rt.photos.get(claimedId);
  step.log.error("quarantined an upload whose bytes are not the photo its key claims", {
    key,
    claimedId,
    actualId: original.id,
    quarantineKey,
    ...(claimed && { claimedPhoto: `exists (${claimed.status}); its original at ${key} was overwritten` }),
    ...(!deleted && { note: "the object was replaced meanwhile; the new one is converted on its own" }),
  });
}

/** `.jpg` of `originals/…/x.JPG`; empty when the name has none. */
function extensionOf(key: string): string {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot).toLowerCase() : "";
}
