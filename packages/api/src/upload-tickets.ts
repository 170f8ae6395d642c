/**
 * Upload tickets: what `POST /upload-sessions` grants, carried by the page into every signing
 * request. A ticket binds one content-derived key to the size, type, name and source the API
 * accepted, for a limited time; it is signed with a key derived from the API token, so the page
 * cannot widen it (a bigger size, another key, another source) and the API keeps no session state.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod/mini";
import { UploadRefused } from "./web-errors.ts";

/** How long a ticket lasts: long enough for a 2 GB video on a slow phone; the page asks for a new one after. */
export const TICKET_SECONDS = 6 * 3600;

export const ticketSchema = z.object({
  key: z.string(),
  size: z.int().check(z.positive()),
  contentType: z.string(),
  filename: z.string(),
  source: z.string(),
  multipart: z.boolean(),
  /** The guest link the ticket was issued to, if any. */
  link: z.optional(z.string()),
  /** Expiry, seconds since the epoch. */
  exp: z.int(),
});

export type Ticket = z.infer<typeof ticketSchema>;

function signingKey(apiToken: string): Buffer {
  return createHmac("sha256", apiToken).update("photo-relay upload tickets v1").digest();
}

function mac(apiToken: string, payload: string): Buffer {
  return createHmac("sha256", signingKey(apiToken)).update(payload).digest();
}

export function issueTicket(apiToken: string, ticket: Ticket): string {
  const payload = Buffer.from(JSON.stringify(ticket)).toString("base64url");
  return `${payload}.${mac(apiToken, payload).toString("base64url")}`;
}

/** The ticket's contents, or {@link UploadRefused} when it is forged, altered or expired. */
export function readTicket(apiToken: string, ticket: string, now: Date): Ticket {
  const [payload = "", signature = ""] = ticket.split(".");
  const given = Buffer.from(signature, "base64url");
  const expected = mac(apiToken, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UploadRefused("ticket_invalid", "this upload's ticket is not valid; add the file again");
  }
  const parsed = ticketSchema.safeParse(JSON.parse(Buffer.from(payload, "base64url").toString()));
  if (!parsed.success) throw new UploadRefused("ticket_invalid", "this upload's ticket is not valid");
  if (parsed.data.exp * 1000 <= now.getTime()) {
    throw new UploadRefused("ticket_expired", "this upload's permission has expired; it is renewed on retry");
  }
  return parsed.data;
}
