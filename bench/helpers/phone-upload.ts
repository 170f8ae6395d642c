/**
 * A phone sending one photo through the API's presigned path, as the upload page's Uppy does:
 * `POST /upload-sessions` (the file's SHA-256, size and type), then `POST /upload-sessions/sign`
 * for each S3 request — create the multipart upload, each part, the completion — sent straight
 * to S3 with the signed URL. Files up to the API's multipart threshold go as one signed POST form.
 */
import { createHash } from "node:crypto";

export interface ApiTarget {
  url: string;
  token: string;
}

interface Session {
  state: "new" | "exists";
  key: string;
  ticket: string;
  multipart: boolean;
  partSize: number;
}
interface Signed {
  url: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}

async function api<T>(target: ApiTarget, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${target.url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${target.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

async function s3(url: string, init: RequestInit, what: string): Promise<Response> {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`S3 ${what} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return res;
}

/** Uploads `data` as `filename` (image/jpeg); resolves with the photo id once S3 holds it. */
export async function phoneUpload(target: ApiTarget, data: Buffer, filename: string): Promise<string> {
  const sha256 = createHash("sha256").update(data).digest("hex");
  const session = await api<Session>(target, "/upload-sessions", {
    filename,
    size: data.length,
    contentType: "image/jpeg",
    sha256,
  });
  if (session.state === "exists") return sha256;
  const sign = (request: Record<string, unknown>) =>
    api<Signed>(target, "/upload-sessions/sign", {
      ticket: session.ticket,
      request: { key: session.key, ...request },
    });
  if (!session.multipart) {
    const post = await sign({ method: "PUT", contentType: "image/jpeg" });
    const form = new FormData();
    for (const [k, v] of Object.entries(post.fields ?? {})) form.append(k, v);
    form.append("file", new Blob([new Uint8Array(data)], { type: "image/jpeg" }));
    await s3(post.url, { method: "POST", body: form }, "POST form");
    return sha256;
  }
  const create = await sign({ method: "POST" });
  const created = await s3(
    create.url,
    { method: "POST", headers: { ...create.headers, "content-type": "image/jpeg" } },
    "create",
  );
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())?.[1];
  if (!uploadId) throw new Error("S3 gave no UploadId");
  const etags: string[] = [];
  for (let offset = 0, partNumber = 1; offset < data.length; offset += session.partSize, partNumber++) {
    const part = await sign({ method: "PUT", uploadId, partNumber });
    const body = new Uint8Array(data.subarray(offset, offset + session.partSize));
    const res = await s3(part.url, { method: "PUT", body }, `part ${partNumber}`);
    await res.body?.cancel();
    etags.push(res.headers.get("etag") ?? "");
  }
  const complete = await sign({ method: "POST", uploadId });
  const xml = `<CompleteMultipartUpload>${etags
    .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`)
    .join("")}</CompleteMultipartUpload>`;
  const done = await s3(
    complete.url,
    { method: "POST", headers: complete.headers ?? {}, body: xml },
    "complete",
  );
  const text = await done.text();
  if (text.includes("<Error>")) throw new Error(`S3 completion failed: ${text.slice(0, 300)}`);
  return sha256;
}
