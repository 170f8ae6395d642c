/**
 * ListParts and ListMultipartUploads for the S3 emulator, which routes the first to GetObject (404)
 * and the second to ListObjects (an empty, silently wrong answer) in fauxqs 2.4.1 (docs/architecture.md, "the emulators' gaps").
 * Uppy resumes an interrupted upload from ListParts, and the API checks the parts before it signs
 * a completion, so the local stack must answer both as S3 does.
 *
 * The emulator keeps each open upload on disk (`<s3StorageDir>/_multipart/<uploadId>/.upload.json`
 * and `parts/<n>.meta.json` + `<n>.data`, written before it answers the part's PUT); we read that
 * record and answer the request ourselves before the emulator sees it, as `s3-cors.ts` does for
 * preflights. The abandoned-upload sweep (`s3-multipart-sweep.ts`) uses the same record.
 */
import { subscribe, unsubscribe } from "node:diagnostics_channel";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";

export interface OpenUpload {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
}

export interface StoredPart {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
}

/** The emulator's open multipart uploads, read from its storage folder. */
export function openUploads(storageDir: string): OpenUpload[] {
  const root = join(storageDir, "_multipart");
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((uploadId) => {
    const meta = join(root, uploadId, ".upload.json");
    if (!existsSync(meta)) return [];
    const upload = JSON.parse(readFileSync(meta, "utf8")) as OpenUpload;
    return [
      { uploadId: upload.uploadId, bucket: upload.bucket, key: upload.key, initiated: upload.initiated },
    ];
  });
}

export function storedParts(storageDir: string, uploadId: string): StoredPart[] | undefined {
  const dir = join(storageDir, "_multipart", uploadId, "parts");
  if (!existsSync(join(storageDir, "_multipart", uploadId, ".upload.json"))) return undefined;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".meta.json"))
    .map((f) => {
      const meta = JSON.parse(readFileSync(join(dir, f), "utf8")) as Omit<StoredPart, "size">;
      return { ...meta, size: statSync(join(dir, `${meta.partNumber}.data`)).size };
    })
    .sort((a, b) => a.partNumber - b.partNumber);
}

/** Starts answering the two requests on the emulator's port; returns the function that stops it. */
export function answerMultipartListings(port: number, storageDir: string): () => void {
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    if (request.socket.localPort !== port || request.method !== "GET") return;
    const url = new URL(request.url ?? "/", "http://emulator");
    const [, bucket = "", ...rest] = url.pathname.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const uploadId = url.searchParams.get("uploadId");
    if (key && uploadId) listParts(response, storageDir, { bucket, key, uploadId }, url.searchParams);
    else if (!key && url.searchParams.has("uploads"))
      listUploads(response, storageDir, bucket, url.searchParams);
  };
  subscribe("http.server.request.start", onRequest);
  return () => unsubscribe("http.server.request.start", onRequest);
}

function listParts(
  response: ServerResponse,
  storageDir: string,
  target: { bucket: string; key: string; uploadId: string },
  query: URLSearchParams,
): void {
  const parts = storedParts(storageDir, target.uploadId);
  if (!parts) {
    xml(
      response,
      404,
      `<Error><Code>NoSuchUpload</Code><Message>The specified multipart upload does not exist.</Message><UploadId>${esc(target.uploadId)}</UploadId></Error>`,
    );
    return;
  }
  const marker = Number(query.get("part-number-marker") ?? 0);
  const max = Math.min(1000, Number(query.get("max-parts") ?? 1000));
  const after = parts.filter((p) => p.partNumber > marker);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  const body = page
    .map(
      (p) =>
        `<Part><PartNumber>${p.partNumber}</PartNumber><LastModified>${p.lastModified}</LastModified><ETag>${esc(p.etag)}</ETag><Size>${p.size}</Size></Part>`,
    )
    .join("");
  xml(
    response,
    200,
    `<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${esc(target.bucket)}</Bucket><Key>${esc(target.key)}</Key><UploadId>${esc(target.uploadId)}</UploadId><PartNumberMarker>${marker}</PartNumberMarker><NextPartNumberMarker>${page.at(-1)?.partNumber ?? marker}</NextPartNumberMarker><MaxParts>${max}</MaxParts><IsTruncated>${truncated}</IsTruncated>${body}</ListPartsResult>`,
  );
}

function listUploads(
  response: ServerResponse,
  storageDir: string,
  bucket: string,
  query: URLSearchParams,
): void {
  const prefix = query.get("prefix") ?? "";
  const uploads = openUploads(storageDir).filter((u) => u.bucket === bucket && u.key.startsWith(prefix));
  const body = uploads
    .map(
      (u) =>
        `<Upload><Key>${esc(u.key)}</Key><UploadId>${esc(u.uploadId)}</UploadId><Initiated>${u.initiated}</Initiated><StorageClass>STANDARD</StorageClass></Upload>`,
    )
    .join("");
  xml(
    response,
    200,
    `<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${esc(bucket)}</Bucket><Prefix>${esc(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>${body}</ListMultipartUploadsResult>`,
  );
}

function xml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { "content-type": "application/xml" });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>${body}`);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
