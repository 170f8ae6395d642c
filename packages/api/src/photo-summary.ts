/**
 * The compact view of a photo that grids, live updates and the upload page's progress list show:
 * name, source, times, each stage's status and the error that stopped it, a refused file's
 * reason, and a short-lived thumbnail URL. A tenth of the full record's size (the journey stays on the photo's own page).
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { PhotoRecord, RejectionRecord, StageName, StageStatus } from "@photo-relay/pipeline/photo";
import { SUMMARY_PROJECTION } from "@photo-relay/pipeline/settings";

export interface PhotoSummary {
  id: string;
  name: string;
  source: string;
  status: PhotoRecord["status"];
  stages: Record<StageName, StageStatus>;
  error?: { stage: StageName; code: string; message: string };
  createdAt: string;
  updatedAt: string;
  bytes: number;
  format?: string;
  thumbnailUrl?: string;
  permalink?: string;
  /** The owner held or skipped publishing (see `POST /photos/:id/publishing`). */
  publishHold?: "hold" | "skip";
  /** Its place in a burst (best of the burst): `pick` is posted, `alternate` never is. */
  burst?: { id: string; role: "open" | "pick" | "alternate"; lead: boolean };
  /** The first stage whose message reached its dead-letter queue (`POST /photos/:id/retry` re-drives). */
  deadLettered?: StageName;
  /** Set for a file that is no photo of the pipeline: a capture PC refused it, or storage quarantined it. */
  refusal?: Refusal;
}

/**
 * Why a record is a refused file (status `rejected` or `quarantined`), for a badge and its reason:
 * `by: "agent"`, a capture PC refused the file (the codes of `rejectionCode`: `incomplete`,
 * `unreadable`, `unknown_kind`, `too_large`, `empty`); `by: "storage"`, an upload whose bytes
 * did not hash to the photo id it claimed (`id_mismatch`).
 */
export interface Refusal {
  by: "agent" | "storage";
  code: string;
  reason: string;
  /** The capture PC that refused the file. */
  agentId?: string;
  /** Where the refused bytes are now: on the capture PC (`rejected-folder`, `spool`, `left-in-place`), in the bucket (`quarantine`), or nowhere. */
  kept: RejectionRecord["kept"] | "quarantine";
}

/** What a summary reads: the arrival index's projection and keys (reserved words as placeholders). */
export const SUMMARY_NAMES = { "#source": "source", "#status": "status", "#format": "format" };
const PLACEHOLDERS: Record<string, string> = Object.fromEntries(
  Object.entries(SUMMARY_NAMES).map(([placeholder, name]) => [name, placeholder]),
);
export const SUMMARY_ATTRIBUTES = ["id", "kind", "createdAt", ...SUMMARY_PROJECTION].map(
  (name) => PLACEHOLDERS[name] ?? name,
);

const STAGES: StageName[] = ["convert", "mirror", "publish"];

export type SummarySource = Pick<
  PhotoRecord,
  | "id"
  | "originalName"
  | "source"
  | "status"
  | "stages"
  | "createdAt"
  | "updatedAt"
  | "bytes"
  | "format"
  | "renditions"
  | "publishHold"
  | "burst"
  | "rejection"
  | "quarantine"
>;

export async function summarize(rt: PublishRuntime, photo: SummarySource): Promise<PhotoSummary> {
  const stuck = STAGES.find(
    (s) => ["failed", "retrying"].includes(photo.stages[s].status) && photo.stages[s].lastError,
  );
  const error = stuck && photo.stages[stuck].lastError;
  const deadLettered = STAGES.find((s) => photo.stages[s].deadLettered);
  const thumbKey = photo.renditions?.thumbnail?.key;
  return {
    id: photo.id,
    name: photo.originalName ?? photo.id.slice(0, 12),
    source: photo.source ?? "upload",
    status: photo.status,
    stages: {
      convert: photo.stages.convert.status,
      mirror: photo.stages.mirror.status,
      publish: photo.stages.publish.status,
    },
    ...(stuck && error && { error: { stage: stuck, code: error.code, message: error.message } }),
    createdAt: photo.createdAt,
    updatedAt: photo.updatedAt,
    bytes: photo.bytes,
    ...(photo.format && { format: photo.format }),
    ...(thumbKey && { thumbnailUrl: await presignGet(rt, thumbKey) }),
    ...(photo.stages.publish.permalink && { permalink: photo.stages.publish.permalink }),
    ...(photo.publishHold && { publishHold: photo.publishHold }),
    ...(photo.burst && { burst: photo.burst }),
    ...(deadLettered && { deadLettered }),
    ...refusalOf(photo),
  };
}

function refusalOf(photo: SummarySource): { refusal?: Refusal } {
  const { rejection, quarantine } = photo;
  if (rejection) {
    const { code, message } = rejection.reason;
    return {
      refusal: { by: "agent", code, reason: message, agentId: rejection.agentId, kept: rejection.kept },
    };
  }
  if (!quarantine) return {};
  const reason = photo.stages.convert.lastError?.message ?? `the bytes are not photo ${quarantine.claimedId}`;
  return { refusal: { by: "storage", code: "id_mismatch", reason, kept: "quarantine" } };
}

/**
 * A presigned GET whose signing time is rounded down to a few minutes, so the same thumbnail keeps
 * the same URL for a while and the browser's cache serves it across live updates. That URL is
 * kept (the {@link SIGNED_KEPT} most recent per runtime) until the signing time moves on: a page of
 * 50 photos signed each time cost ~25 ms of CPU.
 */
export function presignGet(rt: PublishRuntime, key: string): Promise<string> {
  const { presignSeconds } = rt.config.s3;
  const step = Math.min(300, Math.floor(presignSeconds / 3)) * 1000;
  const signedAt = Math.floor(rt.now().getTime() / step) * step;
  let kept = signedUrls.get(rt);
  if (!kept) {
    kept = new Map();
    signedUrls.set(rt, kept);
  }
  const hit = kept.get(key);
  if (hit?.signedAt === signedAt) return hit.url;
  const url = getSignedUrl(rt.clients.s3, new GetObjectCommand({ Bucket: rt.config.s3.bucket, Key: key }), {
    expiresIn: presignSeconds,
    signingDate: new Date(signedAt),
  });
  kept.delete(key);
  kept.set(key, { signedAt, url });
  url.catch(() => kept.delete(key));
  if (kept.size > SIGNED_KEPT) kept.delete(kept.keys().next().value as string);
  return url;
}

const SIGNED_KEPT = 5000;
const signedUrls = new WeakMap<PublishRuntime, Map<string, { signedAt: number; url: Promise<string> }>>();
