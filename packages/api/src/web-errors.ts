/**
 * The errors of the browser-facing routes (uploads, guest links, dashboard actions). Each carries
 * the HTTP status it maps to; `WEB_ERROR_STATUS` lists every code for the API's one `onError`.
 */
import { PhotoRelayError } from "@photo-relay/core";

/** Codes these routes throw and the status each answers with. */
export const WEB_ERROR_STATUS = {
  ticket_invalid: 403,
  ticket_expired: 401,
  upload_refused: 400,
  type_not_allowed: 415,
  too_large: 413,
  parts_too_large: 413,
  key_not_allowed: 403,
  already_there: 409,
  already_published: 409,
  guest_forbidden: 403,
  guest_link_invalid: 401,
  guest_link_expired: 410,
  guest_link_revoked: 410,
  guest_quota: 429,
  rate_limited: 429,
} as const;

export type WebErrorCode = keyof typeof WEB_ERROR_STATUS;

/** An upload or a guest request the API refuses, with a message the page shows as it is. */
export class UploadRefused extends PhotoRelayError {
  constructor(code: WebErrorCode, message: string) {
    super(code, message, { status: WEB_ERROR_STATUS[code] });
    this.name = "UploadRefused";
  }
}
