/** Classifies S3 errors by what the agent does about them (the same on AWS and on fauxqs). */
interface S3ErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const shape = (error: unknown): S3ErrorShape =>
  (typeof error === "object" && error !== null ? error : {}) as S3ErrorShape;
const status = (error: unknown) => shape(error).$metadata?.httpStatusCode;
const named = (error: unknown, ...names: string[]) => {
  const e = shape(error);
  return names.includes(e.name ?? "") || names.includes(e.Code ?? "");
};

export const isNotFound = (error: unknown) => named(error, "NotFound", "NoSuchKey") || status(error) === 404;

/** The upload id is gone (aborted, expired by a lifecycle rule, or already completed). */
export const isNoSuchUpload = (error: unknown) => named(error, "NoSuchUpload");

/** `If-None-Match: *` lost: an object already exists at the key. */
export const isPreconditionFailed = (error: unknown) =>
  named(error, "PreconditionFailed") || status(error) === 412;

/** A concurrent conditional write; S3 asks to start the multipart upload again. */
export const isConditionalConflict = (error: unknown) =>
  named(error, "ConditionalRequestConflict") || status(error) === 409;

/** Credentials or permissions: waiting will not help until the configuration changes. */
export const isAuthError = (error: unknown) =>
  named(
    error,
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "ExpiredToken",
    "InvalidToken",
  ) || status(error) === 403;
