/**
 * `POST /upload-sessions/sign`: signs one S3 request for Uppy's S3 plugin (`signRequest`), within
 * what the file's ticket grants. Small files go up as one presigned POST whose policy pins the
 * key, exact size and type; large ones as multipart (create, parts, list, complete, abort) on the
 * same key, with the original name and source as signed headers the browser cannot change.
 *
 * Before signing the completion, the API lists the parts S3 holds and refuses (and aborts) an
 * upload whose parts add up to more than the ticket's size: a page cannot smuggle a bigger file
 * through multipart, whose parts S3 cannot bound by itself.
 */
import {
  AbortMultipartUploadCommand,
  CreateMultipartUploadCommand,
  ListPartsCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import * as z from "zod/mini";
import { multipartUpload, postPolicy } from "./upload-integrity.ts";
import { formatBytes, maxPartNumber, UPLOAD_KEY } from "./upload-rules.ts";
import { exists } from "./upload-sessions.ts";
import type { Ticket } from "./upload-tickets.ts";
import { UploadRefused } from "./web-errors.ts";

/** Uppy's `PresignableRequest`. */
export const presignableRequest = z.object({
  method: z.enum(["GET", "PUT", "POST", "DELETE"]),
  key: z.string().check(z.minLength(1), z.maxLength(1024)),
  uploadId: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
  partNumber: z.optional(z.int()),
  contentType: z.optional(z.string()),
});
export type PresignableRequest = z.infer<typeof presignableRequest>;

export interface Presigned {
  url: string;
  key?: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}

/** Signs `req` for the file `ticket` stands for. */
export async function signUploadRequest(
  rt: PublishRuntime,
  ticket: Ticket,
  req: PresignableRequest,
): Promise<Presigned> {
  if (!UPLOAD_KEY.test(req.key) || req.key !== ticket.key) {
    throw new UploadRefused("key_not_allowed", "uploads may only go to this file's own key under originals/");
  }
  const Bucket = rt.config.s3.bucket;
  const Key = ticket.key;
  const expiresIn = rt.config.s3.presignSeconds;
  const { uploadId: UploadId } = req;
  const s3 = rt.clients.s3;
  // Signed headers stay headers (not query parameters), so the browser must send them as they are.
  const options = (headers?: Record<string, string>) => ({
    expiresIn,
    ...(headers && { unhoistableHeaders: new Set(Object.keys(headers)) }),
  });

  if (req.method === "PUT" && !UploadId) {
    if (ticket.multipart) throw new UploadRefused("upload_refused", "a file this large must go in parts");
    await refuseExisting(rt, Key);
    // The policy pins the file's SHA-256 (the key's id): S3 stores exactly those bytes or none.
    const { Conditions, Fields } = postPolicy({ ...ticket, sha256: idOfKey(Key) });
    const post = await createPresignedPost(s3, { Bucket, Key, Conditions, Fields, Expires: expiresIn });
    return { url: post.url, fields: post.fields };
  }
  if (req.method === "POST" && !UploadId) {
    await refuseExisting(rt, Key);
    const headers = metadataHeaders(ticket);
    const command = new CreateMultipartUploadCommand({
      Bucket,
      Key,
      ContentType: ticket.contentType,
      Metadata: { "original-name": headers["x-amz-meta-original-name"], source: ticket.source },
    });
    return { url: await getSignedUrl(s3, command, options(headers)), key: Key, headers };
  }
  if (!UploadId) throw new UploadRefused("upload_refused", "deleting objects is not allowed");
  switch (req.method) {
    case "PUT": {
      const PartNumber = req.partNumber ?? 0;
      const highest = maxPartNumber(ticket.size);
      if (PartNumber < 1 || PartNumber > highest) {
        throw new UploadRefused(
          "parts_too_large",
          `a ${formatBytes(ticket.size)} file has at most ${highest} parts`,
        );
      }
      return {
        url: await getSignedUrl(s3, new UploadPartCommand({ Bucket, Key, UploadId, PartNumber }), options()),
      };
    }
    case "GET":
      return { url: await getSignedUrl(s3, new ListPartsCommand({ Bucket, Key, UploadId }), options()) };
    case "POST":
      await checkParts(rt, ticket, UploadId);
      // Conditional, so a completion never replaces an original that arrived meanwhile.
      return multipartUpload.complete(s3, { bucket: Bucket, key: Key, expiresIn }, UploadId);
    case "DELETE":
      return {
        url: await getSignedUrl(s3, new AbortMultipartUploadCommand({ Bucket, Key, UploadId }), options()),
      };
  }
}

/** S3 keeps user metadata ASCII: the name travels URI-encoded, as the agent and `POST /uploads` send it. */
function metadataHeaders(ticket: Ticket): {
  "x-amz-meta-original-name": string;
  "x-amz-meta-source": string;
} {
  return {
    "x-amz-meta-original-name": encodeURIComponent(ticket.filename),
    "x-amz-meta-source": ticket.source,
  };
}

/** `originals/<sha256><ext>` → the SHA-256 (UPLOAD_KEY guarantees the shape). */
const idOfKey = (key: string): string => key.slice("originals/".length, "originals/".length + 64);

async function refuseExisting(rt: PublishRuntime, key: string): Promise<void> {
  if (await exists(rt, key)) throw new UploadRefused("already_there", "this photo is already there");
}

/** The parts S3 holds for the upload add up to no more than the ticket allows; else the upload is aborted. */
async function checkParts(rt: PublishRuntime, ticket: Ticket, UploadId: string): Promise<void> {
  const Bucket = rt.config.s3.bucket;
  let total = 0;
  let count = 0;
  let PartNumberMarker: string | undefined;
  do {
    const page = await rt.clients.s3.send(
      new ListPartsCommand({
        Bucket,
        Key: ticket.key,
        UploadId,
        ...(PartNumberMarker && { PartNumberMarker }),
      }),
    );
    for (const part of page.Parts ?? []) {
      total += part.Size ?? 0;
      count++;
    }
    PartNumberMarker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
  } while (PartNumberMarker);
  if (total > ticket.size || count > maxPartNumber(ticket.size)) {
    await rt.clients.s3
      .send(new AbortMultipartUploadCommand({ Bucket, Key: ticket.key, UploadId }))
      .catch(() => undefined);
    throw new UploadRefused(
      "parts_too_large",
      `the parts add up to ${formatBytes(total)} in ${count} parts, more than the ${formatBytes(ticket.size)} announced; the upload was cancelled`,
    );
  }
}
