/**
 * Presigned uploads for phones: the page hashes the file (SHA-256, the photo id), asks for an
 * upload, then POSTs the file straight to S3 under `originals/<id><ext>`. The POST policy bounds
 * size and type, so S3 itself refuses anything else.
 */
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { originalKey } from "@photo-relay/core";
import type { Runtime } from "@photo-relay/pipeline/runtime";
import { z } from "zod";

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
  filename: z.string().min(1).max(255),
  size: z.number().int().positive(),
  contentType: z.enum(Object.keys(EXTENSIONS) as [string, ...string[]], {
    error: `must be one of ${Object.keys(EXTENSIONS).join(", ")}`,
  }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be the file's SHA-256 in lower-case hex"),
});

export type UploadRequest = z.infer<typeof uploadRequest>;

export async function presignUpload(rt: Runtime, req: UploadRequest) {
  const key = originalKey(req.sha256, EXTENSIONS[req.contentType] ?? "");
  const expiresIn = rt.config.s3.presignSeconds;
  const post = await createPresignedPost(rt.clients.s3, {
    Bucket: rt.config.s3.bucket,
    Key: key,
    Conditions: [
      ["content-length-range", 1, rt.config.api.maxUploadBytes],
      ["eq", "$Content-Type", req.contentType],
    ],
    Fields: {
      "Content-Type": req.contentType,
      "x-amz-meta-original-name": encodeURIComponent(req.filename),
      "x-amz-meta-source": "phone",
    },
    Expires: expiresIn,
  });
  return {
    method: "POST" as const,
    url: post.url,
    fields: post.fields,
    key,
    expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(),
  };
}
