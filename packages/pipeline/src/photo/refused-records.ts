/**
 * Records of files that are not photos of the pipeline, kept in the Photos table so that the
 * status counts, the photo list and the dashboard show them beside the photos:
 * - `rejected`: a file the edge agent refused (incomplete, unreadable, unknown kind, too large,
 *   empty), from the report it wrote to `agents/<agentId>/rejected/<reportId>.json`;
 * - `quarantined`: an upload whose bytes do not hash to the id its key claims, moved out of
 *   `originals/` so the genuine photo can still be uploaded under that key.
 *
 * Their ids are SHA-256 hex like a photo's (so `GET /photos/:id` serves them), derived from what
 * they are about with a prefix no photo's bytes can match, so a refused file never takes the id of
 * the photo it might become: the same file delivered whole later is a photo record of its own,
 * linked to its rejection.
 */
import { type PhotoId, type Rejection, sha256Hex } from "@photo-relay/core";
import { newPhoto, type PhotoRecord, type StageRecord } from "./photo-record.ts";

export interface RejectionRecord {
  agentId: string;
  reportId: string;
  /** The report's S3 key. */
  reportKey: string;
  /** When the agent refused the file. */
  at: string;
  file: Rejection["file"];
  reason: Rejection["reason"];
  /** Where the bytes are now: the agent's `rejected/` folder, its spool, left in place, or nowhere. */
  kept: Rejection["kept"];
  /** The photo these same bytes became, once they were delivered whole. */
  photoId?: PhotoId;
}

export interface QuarantineRecord {
  /** The id the upload's key claimed. */
  claimedId: PhotoId;
  /** The SHA-256 of the bytes that arrived. */
  actualId: PhotoId;
  /** Where the upload landed (now deleted there) and where its bytes are kept. */
  uploadKey: string;
  quarantineKey: string;
  at: string;
}

/** A rejection's record id: by the file's SHA-256 when the agent could read it, else by the report. */
export function rejectionRecordId(report: Pick<Rejection, "agentId" | "reportId" | "file">): PhotoId {
  return report.file.sha256
    ? rejectionIdOfBytes(report.file.sha256)
    : sha256Hex(Buffer.from(`rejected:${report.agentId}/${report.reportId}`));
}

/** The id of the rejection of the bytes whose SHA-256 is `sha256` (a photo looks its rejection up by it). */
export const rejectionIdOfBytes = (sha256: string): PhotoId => sha256Hex(Buffer.from(`rejected:${sha256}`));

/** One quarantine record per forged upload: the key it claimed and the bytes it carried. */
export const quarantineRecordId = (uploadKey: string, actualId: PhotoId): PhotoId =>
  sha256Hex(Buffer.from(`quarantined:${uploadKey}:${actualId}`));

/**
 * The record of a refused file. Its convert stage failed with the agent's reason (the journey
 * says so); nothing else will ever run for it.
 */
export function newRejectedRecord(report: Rejection, reportKey: string, now: Date): PhotoRecord {
  const rejection: RejectionRecord = {
    agentId: report.agentId,
    reportId: report.reportId,
    reportKey,
    at: report.at,
    file: report.file,
    reason: report.reason,
    kept: report.kept,
  };
  const error = {
    code: report.reason.code,
    message: `refused by agent ${report.agentId}: ${report.reason.message}`,
  };
  return refusedRecord(rejectionRecordId(report), error, now, {
    originalKey: reportKey,
    originalName: report.file.name,
    source: "agent",
    bytes: report.file.bytes,
    rejection,
  });
}

/** The record of a forged upload, kept under quarantine. */
export function newQuarantinedRecord(
  quarantine: QuarantineRecord,
  bytes: number,
  originalName: string | undefined,
  source: string,
  now: Date,
): PhotoRecord {
  const error = {
    code: "id_mismatch",
    message:
      `the upload claimed photo ${quarantine.claimedId}, but its bytes hash to ${quarantine.actualId}; ` +
      `kept as ${quarantine.quarantineKey} and removed from ${quarantine.uploadKey}`,
  };
  return refusedRecord(quarantineRecordId(quarantine.uploadKey, quarantine.actualId), error, now, {
    originalKey: quarantine.quarantineKey,
    ...(originalName && { originalName }),
    source,
    bytes,
    quarantine,
  });
}

function refusedRecord(
  id: PhotoId,
  error: { code: string; message: string },
  now: Date,
  fields: Pick<PhotoRecord, "originalKey" | "bytes"> & Partial<PhotoRecord>,
): PhotoRecord {
  const at = now.toISOString();
  const skipped = (): StageRecord => ({ status: "skipped", attempts: 0, updatedAt: at });
  const convert: StageRecord = { status: "failed", attempts: 0, updatedAt: at, lastError: { ...error, at } };
  const photo = newPhoto({ id, ...fields }, now);
  return {
    ...photo,
    status: fields.rejection ? "rejected" : "quarantined",
    stages: { convert, mirror: skipped(), publish: skipped() },
    journey: [{ at, stage: "convert", status: "failed", error }],
  };
}
