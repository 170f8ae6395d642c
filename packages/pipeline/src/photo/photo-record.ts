/**
 * The photo record: one item per photo in the Photos table, holding the photo's metadata and one
 * record per stage. `status` summarises the stages for the status index and the dashboard.
 */
import type { PhotoId, RenditionName } from "@photo-relay/core";
import type { CaptureDevice, CaptureTime, FrameAnalysis } from "@photo-relay/imaging";
import type { QuarantineRecord, RejectionRecord } from "./refused-records.ts";

export type StageName = "convert" | "mirror" | "publish";

export const STAGE_NAMES: readonly StageName[] = ["convert", "mirror", "publish"];

export type StageStatus =
  | "pending" // nothing happened yet
  | "running" // a consumer is working on it
  | "retrying" // the last attempt failed with a retryable error; the queue will redeliver
  | "waiting" // publish: a container is processing, or the quota is spent
  | "awaiting_approval" // publish in manual mode
  | "held" // publish: the owner holds it; a release hands the step on again
  | "done"
  | "skipped" // nothing to do (e.g. no mirror target configured)
  | "failed"; // a fatal error, recorded with its reason

/**
 * The summary: `rejected` is a file the edge agent refused (it never reached S3), `quarantined` an
 * upload whose bytes were not the photo its key claimed; both are records of their own, never a
 * photo's (see `refused-records.ts`).
 */
export type PhotoStatus =
  | "processing"
  | "awaiting_approval"
  | "held"
  | "done"
  | "failed"
  | "rejected"
  | "quarantined";

export const PHOTO_STATUSES: PhotoStatus[] = [
  "processing",
  "awaiting_approval",
  "held",
  "done",
  "failed",
  "rejected",
  "quarantined",
];

export interface StageError {
  code: string;
  message: string;
  at: string;
}

export interface StageRecord {
  status: StageStatus;
  attempts: number;
  updatedAt: string;
  lastError?: StageError;
  /**
   * The stage's message gave up and reached its dead-letter queue (the subscriber marked it, and
   * alerted); the stage is `failed`, `POST /photos/:id/retry` re-drives it.
   */
  deadLettered?: true;
}

export interface RenditionRecord {
  key: string;
  width: number;
  height: number;
  bytes: number;
  contentType: string;
}

export interface MirroredFile {
  rendition: string;
  target: string;
  transport: string;
  remotePath: string;
  publicUrl?: string;
}

export interface MirrorStage extends StageRecord {
  files?: MirroredFile[];
}

/**
 * What a photo is published as: a feed image unless a stage (convert, for a video) or an
 * operation (the API) recorded otherwise. The steps are the same for all; only the container differs.
 */
export type PublishMedia =
  | { kind: "image" }
  /** A Reel from an MP4/MOV in the bucket (H.264/AAC, 3 s – 15 min, ≤ 300 MB). */
  | { kind: "reel"; videoKey: string; coverKey?: string | undefined; shareToFeed: boolean }
  /** A story: the Instagram rendition, or a video (3–60 s) when `videoKey` is set. */
  | { kind: "story"; videoKey?: string | undefined }
  /** 2–10 photos as one post; `children` are their item containers, recorded as they are made. */
  | {
      kind: "carousel";
      photoIds: PhotoId[];
      children?: string[] | undefined;
      childrenAt?: string | undefined;
    };

export interface PublishStage extends StageRecord {
  /** Absent: a feed image. */
  media?: PublishMedia;
  approved?: boolean;
  containerId?: string;
  containerCreatedAt?: string;
  mediaId?: string;
  permalink?: string;
  publishedAt?: string;
  /** A consumer holds the publish step until this time (ms since epoch): two consumers never publish at once. */
  leaseUntil?: number;
  /**
   * Deferred by the spent publishing quota: the photo waits in the quota's line, which lets photos
   * through in arrival order (`stages/publish/quota-line.ts`). Stays set once posted (harmless: the
   * line counts only photos not yet posted).
   */
  quotaLine?: true;
  /**
   * Which of Instagram's limits the `waiting` stage waits for, and when its step looks again: the
   * publishing quota (in its line), the container limit (400 a day), or a call-rate limit. Written
   * with each such wait, dropped by any other; read it only while the stage is `waiting` (it stays
   * through the lease and once posted, like `quotaLine`). A photo the quota holds past an event is
   * deferred, not lost: this says so, and until when at the least (issue 14).
   */
  waitingFor?: { limit: "quota" | "containers" | "calls"; until: string };
  /** Why a `skipped` stage posts nothing, e.g. `not_best_of_burst` naming the burst's pick. */
  skipReason?: { code: string; message: string };
  /**
   * Why a `done` stage has no `mediaId`: `published_unrecorded`, the container was found
   * PUBLISHED by an attempt whose answer was lost (its consumer ended between `media_publish` and
   * recording it), and Instagram does not say which post a container became. Dropped if that
   * attempt's answer is recorded after all.
   */
  mediaIdUnknown?: { code: "published_unrecorded"; message: string };
}

/** A video's Reel as the reel stage made it (see `stages/reel/`). */
export interface ReelRecord {
  /** The original itself (within the spec), its streams remuxed, or transcoded. */
  kind: "passthrough" | "remuxed" | "transcoded";
  /** What Meta downloads: the original's key for a passthrough, else the Reel's (`renditions/<id>/reel.mp4`). */
  videoKey: string;
  /** The JPEG frame sent as `cover_url`. */
  coverKey: string;
  bytes: number;
  /** The rules the original breaks, as `rule: detail` (none for a passthrough). */
  reasons: string[];
  /** The Reel as published, probed again after it was made. */
  probe: {
    container: "mp4" | "mov";
    videoCodec: string;
    width: number;
    height: number;
    durationSeconds: number;
    frameRate: number;
    bitDepth: number;
    videoBitrate: number;
    audio?: { codec: string; sampleRate: number; channels: number };
  };
  /** The transcode's measured speed in media seconds per second (a remux or a passthrough has none). */
  speed?: number;
}

/** A frame's place in its burst (see `bursts/`). */
export interface BurstMembership {
  id: string;
  /** The frame that opened the burst: the live gallery shows it until the burst is decided. */
  lead: boolean;
  /** `open` until the burst is decided, then one of its picks or an alternate (never posted). */
  role: "open" | "pick" | "alternate";
}

/** One step of the photo's journey: a stage changed its status. */
export interface JourneyEvent {
  at: string;
  stage: StageName;
  status: StageStatus;
  error?: { code: string; message: string };
  /** The stage's message reached its dead-letter queue. */
  deadLettered?: true;
}

export interface PhotoRecord {
  id: PhotoId;
  kind: "photo";
  status: PhotoStatus;
  originalKey: string;
  originalName?: string;
  source?: string;
  bytes: number;
  format?: string;
  width?: number;
  height?: number;
  captureTime?: string;
  camera?: string;
  lens?: string;
  caption?: string;
  /**
   * The owner's choice about publishing (`POST /photos/:id/publishing`): `hold` keeps the publish
   * stage from making a container or posting until released; `skip` never posts it.
   */
  publishHold?: "hold" | "skip";
  /** The owner's caption, posted instead of the template's (still held to Instagram's rules). */
  captionOverride?: string;
  renditions?: Partial<Record<RenditionName, RenditionRecord>>;
  /**
   * Set by convert for a video (it has no renditions); `reel` once the reel stage made its Reel.
   * (Records converted before the reel stage have no `reel` and are published from the original.)
   */
  video?: { durationSeconds: number; reel?: ReelRecord };
  /** The frame analysis (perceptual hash, score and its parts), the capture time to the millisecond and the camera body. */
  analysis?: FrameAnalysis;
  capture?: CaptureTime;
  device?: CaptureDevice;
  /** Set by convert when the photo's burst policy groups it; absent for `all` or an unknown camera. */
  burst?: BurstMembership;
  /** The owner took the photo out of the live gallery (it stays everywhere else). */
  galleryHidden?: { at: string };
  /**
   * Set by convert when Instagram's rules refuse the photo (imaging's `instagram-rules.ts`): it has
   * web and thumbnail renditions but no Instagram one, and its publish stage failed with this reason.
   */
  instagramRefusal?: { code: string; reason: string };
  /** The agent's report of a file it refused: this record is that file (status `rejected`). */
  rejection?: RejectionRecord;
  /** An upload whose bytes did not hash to the id its key claimed (status `quarantined`). */
  quarantine?: QuarantineRecord;
  /** Rejection records of these same bytes (the agent refused them once, they came whole later). */
  rejections?: PhotoId[];
  stages: { convert: StageRecord; mirror: MirrorStage; publish: PublishStage };
  /** Every stage status change, oldest first (the last {@link JOURNEY_LIMIT} are kept). */
  journey: JourneyEvent[];
  createdAt: string;
  updatedAt: string;
  /** Optimistic-locking counter: every write checks and increments it. */
  version: number;
}

export function newPhoto(
  init: Pick<PhotoRecord, "id" | "originalKey" | "bytes"> & Partial<PhotoRecord>,
  now: Date,
): PhotoRecord {
  const at = now.toISOString();
  const stage = (): StageRecord => ({ status: "pending", attempts: 0, updatedAt: at });
  return {
    kind: "photo",
    status: "processing",
    stages: { convert: stage(), mirror: stage(), publish: stage() },
    journey: [],
    createdAt: at,
    updatedAt: at,
    version: 0,
    ...init,
  };
}

export const JOURNEY_LIMIT = 100;

/** The journey after a change: one event per stage whose status changed, or that was dead-lettered. */
export function extendJourney(before: PhotoRecord, after: PhotoRecord, at: string): JourneyEvent[] {
  const changed = (name: StageName) =>
    before.stages[name].status !== after.stages[name].status ||
    (after.stages[name].deadLettered && !before.stages[name].deadLettered);
  const events = (Object.keys(after.stages) as StageName[]).filter(changed).map((stage): JourneyEvent => {
    const { status, lastError, deadLettered } = after.stages[stage];
    const failed = status === "failed" || status === "retrying";
    return {
      at,
      stage,
      status,
      ...(failed && lastError && { error: { code: lastError.code, message: lastError.message } }),
      ...(deadLettered && { deadLettered }),
    };
  });
  return [...(before.journey ?? []), ...events].slice(-JOURNEY_LIMIT);
}

const FINISHED: StageStatus[] = ["done", "skipped"];

/** The summary status the store records: a refused file's own, else {@link summarize} of the stages. */
export function statusOf(photo: Pick<PhotoRecord, "stages" | "rejection" | "quarantine">): PhotoStatus {
  if (photo.rejection) return "rejected";
  if (photo.quarantine) return "quarantined";
  return summarize(photo.stages);
}

/** The photo's summary status, derived from its stages. */
export function summarize(stages: PhotoRecord["stages"]): PhotoStatus {
  const all = [stages.convert, stages.mirror, stages.publish];
  if (all.some((s) => s.status === "failed")) return "failed";
  if (all.every((s) => FINISHED.includes(s.status))) return "done";
  const mirrored = FINISHED.includes(stages.mirror.status);
  if (stages.publish.status === "awaiting_approval" && mirrored) return "awaiting_approval";
  if (stages.publish.status === "held" && mirrored) return "held";
  return "processing";
}
