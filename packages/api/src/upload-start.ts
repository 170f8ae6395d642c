/**
 * The start of a multipart upload, done by `POST /upload-sessions` itself so the page's first part
 * leaves one answer after the hash instead of three round trips (a signing request, S3's
 * CreateMultipartUpload, a signing request per part):
 * - the API creates the multipart upload for the ticket's key, with the type, original name and
 *   source the signer would pin, unless the page already has one for the file (a restored tab, a
 *   renewed ticket) — never a second upload for the same file;
 * - it presigns that upload's ListParts and its first {@link PRESIGNED_PARTS} parts, which the page
 *   uses once each (a retried part is signed afresh through `POST /upload-sessions/sign`).
 * Nothing here widens what a ticket grants: the signer signs the same requests for the same key.
 */
import { CreateMultipartUploadCommand, ListPartsCommand, UploadPartCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import { PART_SIZE } from "./upload-rules.ts";
import type { Ticket } from "./upload-tickets.ts";

/** Parts presigned with the session: 256 MiB of 8 MiB parts, a few kB of URLs. */
export const PRESIGNED_PARTS = 32;

export interface StartedUpload {
  uploadId: string;
  /** Presigned requests on `uploadId`, each valid until `expiresAt`. */
  presigned: { list: string; parts: string[]; expiresAt: string };
}

/** Creates the multipart upload for `ticket` (or goes on with `uploadId`) and presigns its first requests. */
export async function startMultipart(
  rt: PublishRuntime,
  ticket: Ticket,
  uploadId?: string,
): Promise<StartedUpload> {
  const Bucket = rt.config.s3.bucket;
  const Key = ticket.key;
  const s3 = rt.clients.s3;
  const UploadId = uploadId ?? (await create(rt, ticket));
  const expiresIn = rt.config.s3.presignSeconds;
  const count = Math.min(PRESIGNED_PARTS, Math.ceil(ticket.size / PART_SIZE));
  const [list, ...parts] = await Promise.all([
    getSignedUrl(s3, new ListPartsCommand({ Bucket, Key, UploadId }), { expiresIn }),
    ...Array.from({ length: count }, (_, i) =>
      getSignedUrl(s3, new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1 }), { expiresIn }),
    ),
  ]);
  const expiresAt = new Date(rt.now().getTime() + expiresIn * 1000).toISOString();
  return { uploadId: UploadId, presigned: { list: list as string, parts, expiresAt } };
}

async function create(rt: PublishRuntime, ticket: Ticket): Promise<string> {
  const created = await rt.clients.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: rt.config.s3.bucket,
      Key: ticket.key,
      ContentType: ticket.contentType,
      // S3 keeps user metadata ASCII: the name travels URI-encoded, as the signer's create sends it.
      Metadata: { "original-name": encodeURIComponent(ticket.filename), source: ticket.source },
    }),
  );
  if (!created.UploadId) throw new Error(`S3 created no multipart upload for ${ticket.key}`);
  return created.UploadId;
}
