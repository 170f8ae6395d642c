/**
 * The upload routes, open to the owner and to guests (each within their own scope):
 * - `GET  /uploads/rules`: kinds, size limit, part size (and a guest's link limits);
 * - `POST /upload-sessions` `{filename,size,contentType,sha256}` → "exists" or a ticket;
 * - `POST /upload-sessions/sign` `{ticket, request}` → one presigned S3 request for Uppy;
 * - `GET  /upload-sessions/status?ids=a,b` → the pipeline's progress of those photos (a guest sees
 *   only photos uploaded through their link).
 */
import { isPhotoId, ValidationError } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { Hono } from "hono";
import * as z from "zod/mini";
import { apiToken, type Caller, guestLinks, resolveCaller } from "../caller.ts";
import { summarize } from "../photo-summary.ts";
import { uploadRules } from "../upload-rules.ts";
import { openUploadSession, sessionRequest } from "../upload-sessions.ts";
import { presignableRequest, signUploadRequest } from "../upload-signer.ts";
import { readTicket } from "../upload-tickets.ts";
import { UploadRefused } from "../web-errors.ts";
import { body } from "./validate.ts";

export const signBody = z.object({
  ticket: z.string().check(z.minLength(1), z.maxLength(4096)),
  request: presignableRequest,
});
const STATUS_IDS = 100;

export function mountUploadRoutes(app: Hono, runtime: () => PublishRuntime): void {
  app.get("/uploads/rules", async (c) => {
    const rt = runtime();
    const caller = await resolveCaller(rt, c);
    return c.json({ ...uploadRules(rt.config), ...(caller.kind === "guest" && { link: caller.link }) });
  });

  app.post("/upload-sessions", async (c) => {
    const rt = runtime();
    const caller = await resolveCaller(rt, c);
    const session = await openUploadSession(rt, caller, await body(c, sessionRequest));
    return c.json(session, session.state === "new" ? 201 : 200);
  });

  app.post("/upload-sessions/sign", async (c) => {
    const rt = runtime();
    const caller = await resolveCaller(rt, c);
    const signed = await body(c, signBody);
    const ticket = readTicket(apiToken(rt), signed.ticket, rt.now());
    const linkOfCaller = caller.kind === "guest" ? caller.link.linkId : undefined;
    if (ticket.link !== linkOfCaller) {
      throw new UploadRefused("ticket_invalid", "this upload's ticket belongs to someone else");
    }
    return c.json(await signUploadRequest(rt, ticket, signed.request));
  });

  app.get("/upload-sessions/status", async (c) => {
    const rt = runtime();
    const caller = await resolveCaller(rt, c);
    const ids = (c.req.query("ids") ?? "").split(",").filter(Boolean);
    if (ids.length > STATUS_IDS || !ids.every(isPhotoId)) {
      throw new ValidationError("bad_request", `ids: up to ${STATUS_IDS} photo ids, comma-separated`);
    }
    const photos = (await Promise.all(ids.map((id) => rt.photos.get(id)))).filter((p) => p !== undefined);
    const visible = await visibleTo(rt, caller, photos);
    return c.json({ photos: await Promise.all(visible.map((p) => summarize(rt, p))) });
  });
}

async function visibleTo<P extends { originalKey: string; source?: string }>(
  rt: PublishRuntime,
  caller: Caller,
  photos: P[],
): Promise<P[]> {
  if (caller.kind === "owner") return photos;
  const owned = await guestLinks(rt).owns(
    caller.link.linkId,
    photos.map((p) => p.originalKey),
  );
  return photos.filter((p) => owned.has(p.originalKey) && p.source === `guest:${caller.link.linkId}`);
}
