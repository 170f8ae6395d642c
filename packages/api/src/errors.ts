/**
 * The API's own errors. Each carries a stable `code`; `error-status.ts` alone says which HTTP
 * status it answers with.
 */
import { ValidationError } from "@photo-relay/core";

export type UploadRefusalCode = "too_large" | "upload_empty" | "already_there";

/** An upload the API refuses to sign, with a message the page shows as it is. */
export class UploadRefusedError extends ValidationError {
  declare readonly code: UploadRefusalCode;

  constructor(code: UploadRefusalCode, message: string) {
    super(code, message);
    this.name = "UploadRefusedError";
  }
}
