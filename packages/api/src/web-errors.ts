/**
 * The errors of the browser-facing routes (uploads, guest links, dashboard actions), with the HTTP
 * status of each code for the API's one table (`error-status.ts`).
 */
import { PhotoRelayError } from "@photo-relay/core";
import type { ContentfulStatusCode } from "hono/utils/http-status";

export type WebErrorCode =
  | "ticket_invalid"
  | "ticket_expired"
  | "upload_refused"
  | "type_not_allowed"
  | "too_large"
  | "parts_too_large"
  | "key_not_allowed"
  | "already_there"
  | "already_published"
  | "guest_link_invalid"
  | "guest_link_expired"
  | "guest_link_revoked"
  | "guest_quota"
  | "rate_limited";

/** Codes these routes throw and the status each answers with. */
export const WEB_ERROR_STATUS: Record<WebErrorCode, ContentfulStatusCode> = {
  ticket_invalid: 403,
  ticket_expired: 401,
  upload_refused: 400,
  type_not_allowed: 415,
  too_large: 413,
  parts_too_large: 413,
  key_not_allowed: 403,
  already_there: 409,
  already_published: 409,
  guest_link_invalid: 401,
  guest_link_expired: 410,
  guest_link_revoked: 410,
  guest_quota: 429,
  rate_limited: 429,
};

/** An upload or a guest request the API refuses, with a message the page shows as it is. */
export class UploadRefused extends PhotoRelayError {
  constructor(code: WebErrorCode, message: string) {
    super(code, message);
    this.name = "UploadRefused";
  }
}
