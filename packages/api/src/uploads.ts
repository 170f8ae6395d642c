/**
 * `POST /uploads`, presigned uploads for phones: the page hashes the file (SHA-256, the photo id),
 * asks for an upload, then PUTs the file straight to S3 under `originals/<id><ext>` with the
 * headers it was given. The rules that keep the id honest (size limit before signing, the signed
 * checksum, no overwrite) are `upload-integrity.ts`'s.
 */
import { originalKey } from "@photo-relay/core";
import type { Runtime } from "@photo-relay/pipeline/runtime";
import * as z from "zod/mini";
import { checkDeclaredUpload, checkNotStored, presignPut } from "./upload-integrity.ts";

export const EXTENSIONS: Record<string, string> = {
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/webp": ".webp",
  "image/gif": ".gif",
  "image/tiff": ".tif",
  "image/avif": ".avif",
  "image/heic": ".heic",
  "image/heif": ".heif",
  "video/mp4": ".mp4",
  "video/quicktime": ".mov",
};

export const uploadRequest = z.object({
  filename: z.string().check(z.minLength(1), z.maxLength(255)),
  size: z.int().check(z.positive()),
  contentType: z.enum(Object.keys(EXTENSIONS) as [string, ...string[]], {
    error: `must be one of ${Object.keys(EXTENSIONS).join(", ")}`,
  }),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, "must be the file's SHA-256 in lower-case hex")),
});

export type UploadRequest = z.infer<typeof uploadRequest>;

/** A presigned PUT of the file, or a refusal (too large, already uploaded) before anything is signed. */
export async function presignUpload(rt: Runtime, req: UploadRequest) {
  const upload = { ...req, source: "phone" };
  checkDeclaredUpload(rt.config, upload);
  const key = originalKey(req.sha256, EXTENSIONS[req.contentType] ?? "");
  const bucket = rt.config.s3.bucket;
  await checkNotStored(rt.clients.s3, bucket, key);
  const expiresIn = rt.config.s3.presignSeconds;
  const put = await presignPut(rt.clients.s3, { bucket, key, upload, expiresIn });
  return { ...put, key, expiresAt: new Date(rt.now().getTime() + expiresIn * 1000).toISOString() };
}
