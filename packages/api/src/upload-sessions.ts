/**
 * `POST /upload-sessions`: the page has hashed a file and asks to send it. The API checks kind and
 * size (and a guest link's limits), says "already there" for content S3 holds already, and
 * otherwise grants a ticket for the one content-derived key.
 */
import { HeadObjectCommand, NotFound } from "@aws-sdk/client-s3";
import { originalKey } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import * as z from "zod/mini";
import type { Caller } from "./caller.ts";
import { apiToken, guestLinks } from "./caller.ts";
import { formatBytes, MULTIPART_ABOVE, PART_SIZE, uploadRules } from "./upload-rules.ts";
import { type StartedUpload, startMultipart } from "./upload-start.ts";
import { issueTicket, TICKET_SECONDS, type Ticket } from "./upload-tickets.ts";
import { UploadRefused } from "./web-errors.ts";

export const sessionRequest = z.object({
  filename: z.string().check(z.minLength(1), z.maxLength(255)),
  size: z.int().check(z.nonnegative()),
  contentType: z.string().check(z.maxLength(255)),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, "must be the file's SHA-256 in lower-case hex")),
  /** The multipart upload the page already has for this file: none is created. */
  uploadId: z.optional(z.string().check(z.minLength(1), z.maxLength(1024))),
});
export type SessionRequest = z.infer<typeof sessionRequest>;

interface Granted {
  state: "new";
  key: string;
  ticket: string;
  partSize: number;
  expiresAt: string;
}

export type UploadSession =
  | { state: "exists"; key: string; photoId: string }
  | (Granted & { multipart: false })
  | (Granted & { multipart: true } & StartedUpload);

export async function openUploadSession(
  rt: PublishRuntime,
  caller: Caller,
  req: SessionRequest,
): Promise<UploadSession> {
  const rules = uploadRules(rt.config);
  const ext = rules.types[req.contentType];
  if (!ext) {
    throw new UploadRefused(
      "type_not_allowed",
      `“${req.filename}” is ${req.contentType || "of an unknown type"}; only photos (JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIC) and MP4/MOV videos are taken`,
    );
  }
  if (req.size === 0) throw new UploadRefused("upload_refused", `“${req.filename}” is empty`);
  if (req.size > rules.maxUploadBytes) {
    throw new UploadRefused(
      "too_large",
      `“${req.filename}” is ${formatBytes(req.size)}; the limit is ${formatBytes(rules.maxUploadBytes)}`,
    );
  }
  const key = originalKey(req.sha256, ext);
  if (await exists(rt, key)) return { state: "exists", key, photoId: req.sha256 };

  const now = rt.now();
  if (caller.kind === "guest") {
    const outcome = await guestLinks(rt).reserve(caller.link, key, req.size, now);
    if (outcome === "closed") throw new UploadRefused("guest_link_expired", "this upload link is closed");
    if (outcome === "quota") {
      const { maxFiles, maxBytes } = caller.link;
      throw new UploadRefused(
        "guest_quota",
        `this link takes up to ${maxFiles} files and ${formatBytes(maxBytes)} in all, and “${req.filename}” does not fit any more`,
      );
    }
  }
  const exp = Math.floor(now.getTime() / 1000) + TICKET_SECONDS;
  const multipart = req.size > MULTIPART_ABOVE;
  const granted: Ticket = {
    key,
    size: req.size,
    contentType: req.contentType,
    filename: req.filename,
    source: caller.kind === "guest" ? `guest:${caller.link.linkId}` : "phone",
    multipart,
    ...(caller.kind === "guest" && { link: caller.link.linkId }),
    exp,
  };
  const session = {
    state: "new" as const,
    key,
    ticket: issueTicket(apiToken(rt), granted),
    partSize: PART_SIZE,
    expiresAt: new Date(exp * 1000).toISOString(),
  };
  if (!multipart) return { ...session, multipart };
  return { ...session, multipart, ...(await startMultipart(rt, granted, req.uploadId)) };
}

export async function exists(rt: PublishRuntime, key: string): Promise<boolean> {
  try {
    await rt.clients.s3.send(new HeadObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }));
    return true;
  } catch (error) {
    if (
      error instanceof NotFound ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
    ) {
      return false;
    }
    throw error;
  }
}
