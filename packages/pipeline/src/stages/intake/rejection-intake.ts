/**
 * The cloud side of the agent's refusals: every report the agent writes to
 * `agents/<agentId>/rejected/<reportId>.json` becomes a `rejected` record (see
 * `photo/refused-records.ts`), counted by `GET /status` and listed by `GET /photos?status=rejected`.
 * S3 notifies the convert queue of the agents' prefix too; convert hands report keys here and
 * ignores the agents' other objects (heartbeats) without reading them.
 *
 * Idempotent: a report's record id is derived from the report, so a redelivered notification (or
 * the same bytes refused twice) is one record. When the refused bytes are known (their SHA-256)
 * and the same file arrives whole later, the photo and its rejection point at each other: the
 * photo is a normal photo, the rejection stays as its history.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { AGENTS_PREFIX, type PhotoId, type Rejection, rejectionSchema } from "@photo-relay/core";
import * as z from "zod/mini";
import { BadReportError } from "../../errors.ts";
import { finished, type StageResult } from "../../jobs/next-jobs.ts";
import type { CreatedObject } from "../../jobs/s3-event.ts";
import { newRejectedRecord, rejectionIdOfBytes, rejectionRecordId } from "../../photo/refused-records.ts";
import type { Runtime } from "../../runtime.ts";
import type { StepContext } from "../../stage-runner.ts";

/** A report is a few hundred bytes; anything this large is not one. */
const MAX_REPORT_BYTES = 64 * 1024;

const REPORT_KEY = /^agents\/([^/]+)\/rejected\/([^/]+)\.json$/;

/** Whether `key` is under the agents' prefix (reports and heartbeats): convert hands those here. */
export const isAgentObject = (key: string): boolean => key.startsWith(AGENTS_PREFIX);

/** Records the refusal `object` reports; the agents' other objects are ignored. */
export async function recordRejection(
  rt: Runtime,
  object: CreatedObject,
  step: StepContext,
): Promise<StageResult> {
  const match = REPORT_KEY.exec(object.key);
  if (!match) {
    step.log.debug("not a rejection report; ignored", { key: object.key });
    return finished();
  }
  const report = await readReport(rt, object.key);
  if (!report) {
    step.log.warn("rejection report vanished before it was read", { key: object.key });
    return finished();
  }
  if (report.agentId !== match[1] || report.reportId !== match[2]) {
    throw new BadReportError(object.key, `names agent ${report.agentId}, report ${report.reportId}`);
  }
  const record = newRejectedRecord(report, object.key, rt.now());
  step.about(record.id);
  const stored = await rt.photos.ensure(record);
  if (stored === record) {
    step.log.info("a file the agent refused", {
      agentId: report.agentId,
      file: report.file.path,
      reason: report.reason.code,
      kept: report.kept,
    });
  }
  const sha256 = report.file.sha256;
  if (sha256 && !stored.rejection?.photoId && (await rt.photos.get(sha256))) {
    await link(rt, rejectionRecordId(report), sha256);
  }
  return finished();
}

/** After convert created photo `photoId`: links it to an earlier rejection of the same bytes, if any. */
export async function linkToRejection(rt: Runtime, photoId: PhotoId): Promise<void> {
  const rejectionId = rejectionIdOfBytes(photoId);
  if ((await rt.photos.get(rejectionId))?.rejection) await link(rt, rejectionId, photoId);
}

async function link(rt: Runtime, rejectionId: PhotoId, photoId: PhotoId): Promise<void> {
  await rt.photos.update(photoId, (p) =>
    p.rejection || p.quarantine || p.rejections?.includes(rejectionId)
      ? undefined
      : { ...p, rejections: [...(p.rejections ?? []), rejectionId] },
  );
  await rt.photos.update(rejectionId, (p) =>
    !p.rejection || p.rejection.photoId ? undefined : { ...p, rejection: { ...p.rejection, photoId } },
  );
}

async function readReport(rt: Runtime, key: string): Promise<Rejection | undefined> {
  const got = await rt.clients.s3
    .send(new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }))
    .catch((error: unknown) => {
      if ((error as { name?: string }).name === "NoSuchKey") return undefined;
      throw error;
    });
  if (!got?.Body) return undefined;
  if ((got.ContentLength ?? 0) > MAX_REPORT_BYTES) {
    (got.Body as { destroy?: () => void }).destroy?.();
    throw new BadReportError(key, `is ${got.ContentLength} bytes, more than a report can be`);
  }
  const text = await got.Body.transformToString();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BadReportError(key, "is not JSON");
  }
  const parsed = rejectionSchema.safeParse(json);
  if (!parsed.success)
    throw new BadReportError(key, `is not a rejection report: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
