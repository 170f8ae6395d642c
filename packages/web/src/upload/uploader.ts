/**
 * The upload machinery, all Uppy: the dashboard (drag and drop, many files, the phone's camera,
 * per-file and total progress, pause/resume/cancel), the S3 plugin (presigned POST for small files,
 * multipart above; retries with backoff, waits out offline spells), and Golden Retriever (a closed
 * tab resumes where it stopped: Uppy asks S3 for the parts it holds and sends only the rest).
 *
 * Before a file goes, a preprocessor hashes it in a worker (its SHA-256 is the photo's id and key)
 * and asks the API for a ticket: the API may answer "already there", or refuse with a reason that
 * the file then shows. Every S3 request is signed by the API within that ticket. A file that goes
 * in parts gets its multipart upload with the ticket (and its first parts presigned): it is handed
 * to the S3 plugin as the upload to go on with, as Golden Retriever hands over a restored one, so
 * the first part leaves without another round trip.
 */

import type { UploadRules, UploadSession } from "@photo-relay/api";
import AwsS3 from "@uppy/aws-s3";
import Uppy, { type Meta, type UppyFile } from "@uppy/core";
import Dashboard from "@uppy/dashboard";
import GoldenRetriever from "@uppy/golden-retriever";
import { ApiError, api } from "../shared/api.ts";
import { retryNetworkFailures } from "./auto-retry.ts";
import { hashFile, warmHashing } from "./hash-file.ts";
import { keepPresigned, takePresigned } from "./presigned.ts";
import { sameFamily } from "./sniff.ts";

export type { UploadRules } from "@photo-relay/api";

/** What the page tracks per file, kept in Uppy's file meta (so Golden Retriever keeps it too). */
export interface FileMeta extends Meta {
  phase?: "hashing" | "ready" | "exists" | "refused";
  note?: string;
  sha256?: string;
  contentType?: string;
  key?: string;
  ticket?: string;
}

type Session = UploadSession;

type Body = Record<string, never>;
export type UploadFile = UppyFile<FileMeta, Body>;

export function createUploader(target: HTMLElement, rules: UploadRules, scope: string, note: string) {
  const uppy = new Uppy<FileMeta, Body>({ id: `photo-relay-${scope}`, autoProceed: true });
  uppy.use(Dashboard, {
    inline: true,
    target,
    width: "100%",
    height: 430,
    proudlyDisplayPoweredByUppy: false,
    showNativePhotoCameraButton: true,
    showNativeVideoCameraButton: true,
    nativeCameraFacingMode: "environment",
    showRemoveButtonAfterComplete: false,
    hideProgressDetails: false,
    note,
  });
  uppy.use(AwsS3, {
    shouldUseMultipart: (file) => (file.size ?? 0) > rules.multipartAbove,
    getChunkSize: () => rules.partSize,
    // Uppy's default: what a browser opens to one origin over HTTP/1.1.
    limit: 6,
    allowedMetaFields: false,
    generateObjectKey: (file) => String(file.meta.key ?? ""),
    signRequest: (request) => signRequest(uppy, request, removed),
  });
  uppy.use(GoldenRetriever, { expires: 24 * 3600_000 });
  // A file removed mid-upload is gone from Uppy's state before the S3 plugin signs the abort of
  // its multipart upload: its ticket is kept for that.
  const removed = new Map<string, string>();
  uppy.on("file-removed", (file) => {
    if (file.meta.key && file.meta.ticket) removed.set(file.meta.key, file.meta.ticket);
  });
  // A restored session goes on by itself once every file has its bytes again: small ones come back
  // from IndexedDB, larger ones when the person selects them again (the dashboard asks for that).
  let resuming = false;
  uppy.on("state-update", (_before, after) => {
    const files = Object.values(after.files);
    if (!after.recoveredState || resuming || files.length === 0 || files.some((f) => f.isGhost)) return;
    resuming = true;
    // Outside this state update: confirming the restore updates the state again.
    setTimeout(() => uppy.emit("restore-confirmed"));
  });
  retryNetworkFailures(uppy);
  warmHashing();
  uppy.addPreProcessor(async (fileIDs) => {
    // Hashing is sequential in the worker; asking the API happens as each hash is ready.
    await Promise.all(fileIDs.map((id) => prepare(uppy, rules, id)));
  });
  return uppy;
}

async function prepare(uppy: Uppy<FileMeta, Body>, rules: UploadRules, id: string): Promise<void> {
  const file = uppy.getFile(id);
  if (!file || file.progress.uploadComplete) return;
  try {
    let { sha256, contentType } = file.meta;
    if (!sha256 || !contentType) {
      if (!file.data) throw new Error("select this file again to send it");
      uppy.setFileMeta(id, { phase: "hashing" });
      const hashed = await hashFile(id, file.data as Blob, (value) =>
        uppy.emit("preprocess-progress", file, { mode: "determinate", message: "Checking the file…", value }),
      );
      sha256 = hashed.sha256;
      contentType = checkedType(file, hashed.sniffed, rules);
    }
    // A restored tab names the upload it has: the API creates none, only a fresh ticket.
    const uploadId = file.s3Multipart?.uploadId;
    const session = await api<Session>("/upload-sessions", {
      method: "POST",
      body: { filename: file.name, size: file.size, contentType, sha256, ...(uploadId && { uploadId }) },
    });
    if (session.state === "exists") {
      uppy.setFileMeta(id, { phase: "exists", sha256, contentType, note: "already there" });
      uppy.emit("upload-success", uppy.getFile(id), { status: 200, body: {} as Body, uploadURL: "" });
      return;
    }
    if (session.multipart) {
      keepPresigned(session.key, session.uploadId, session.presigned);
      uppy.setFileState(id, { s3Multipart: { uploadId: session.uploadId, key: session.key } });
    }
    uppy.setFileMeta(id, { phase: "ready", sha256, contentType, key: session.key, ticket: session.ticket });
  } catch (error) {
    const message = (error as Error).message;
    uppy.setFileMeta(id, { phase: "refused", note: message });
    uppy.emit("upload-error", uppy.getFile(id), new Error(message));
  } finally {
    uppy.emit("preprocess-complete", uppy.getFile(id));
  }
}

/**
 * The type to announce: what the bytes are. A file that claims a kind the pipeline takes but holds
 * something else is refused here, naming both; one that claims another kind goes to the API as it
 * is, which refuses it with the list of what it takes.
 */
function checkedType(file: UploadFile, sniffed: string | undefined, rules: UploadRules): string {
  const declared = file.type ?? "";
  const claimsTaken = Boolean(rules.types[declared]);
  if (!sniffed) {
    if (claimsTaken)
      throw new Error(`“${file.name}” says it is ${declared}, but its content is not a photo or video`);
    return declared || "application/octet-stream";
  }
  if (claimsTaken && !sameFamily(declared, sniffed)) {
    throw new Error(`“${file.name}” says it is ${declared}, but its content is ${sniffed}`);
  }
  return sniffed;
}

type SignRequest = Parameters<
  Extract<ConstructorParameters<typeof AwsS3>[1], { signRequest: unknown }>["signRequest"]
>[0];

/** Signs one S3 request through the API; an expired ticket is renewed once. */
async function signRequest(uppy: Uppy<FileMeta, Body>, request: SignRequest, removed: Map<string, string>) {
  const sign = (ticket: string) =>
    api<{ url: string; key?: string; headers?: Record<string, string>; fields?: Record<string, string> }>(
      "/upload-sessions/sign",
      { method: "POST", body: { ticket, request } },
    );
  const presigned = takePresigned(request);
  if (presigned) return presigned;
  const file = uppy.getFiles().find((f) => f.meta.key === request.key);
  const gone = request.key ? removed.get(request.key) : undefined;
  if (!file && gone) return sign(gone);
  if (!file?.meta.ticket) throw new Error("this file has no upload permission; add it again");
  try {
    return await sign(file.meta.ticket);
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== "ticket_expired") throw error;
    // The file's upload goes on: naming it keeps the API from creating a second one.
    const uploadId = ("uploadId" in request && request.uploadId) || file.s3Multipart?.uploadId;
    const session = await api<Session>("/upload-sessions", {
      method: "POST",
      body: {
        filename: file.name,
        size: file.size,
        contentType: file.meta.contentType,
        sha256: file.meta.sha256,
        ...(uploadId && { uploadId }),
      },
    });
    if (session.state !== "new") throw new Error("this photo is already there");
    uppy.setFileMeta(file.id, { ticket: session.ticket });
    return sign(session.ticket);
  }
}
