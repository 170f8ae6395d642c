/**
 * publish: Instagram posting as SQS steps — create container → check (re-sent with a growing delay)
 * → publish → permalink. Each step is idempotent; a lease on the photo record and the container's
 * own PUBLISHED state make sure that one photo gives exactly one `media_publish`.
 */
import { forPhoto, isRetryable, type Logger, PhotoRelayError, RetryableError } from "@photo-relay/core";
import { GraphApiError } from "@photo-relay/instagram";
import { captionFor } from "./caption-source.ts";
import { awaitsMirror } from "./image-url.ts";
import type { PublishJob } from "./messages.ts";
import type { PhotoRecord } from "./photo.ts";
import { createMediaContainer, withoutContainers } from "./publish-media.ts";
import { quotaDeferSeconds, readQuotaGate } from "./quota.ts";
import type { Runtime } from "./runtime.ts";
import { failStage, setStage } from "./stage.ts";
import { noteTokenProblem, tokenRefusal } from "./token.ts";

const LEASE_MS = 60_000;
/** Thrown when another consumer holds the publish lease: this message comes back later and finds the outcome. */
const LEASE_HELD = new RetryableError("publish_in_progress", "another consumer is publishing this photo");
/**
 * Runs one publish step for one photo. Idempotent: a finished photo ignores every step but
 * `permalink`; "later" answers re-send the step; fatal ones fail the stage with the reason.
 */
export async function runPublishStep(rt: Runtime, job: PublishJob): Promise<void> {
  const log = forPhoto(rt.logger, job.photoId);
  const photo = await rt.photos.require(job.photoId);
  // `skipped`: the photo is an item of another photo's carousel, published with it.
  if (photo.stages.publish.status === "skipped") return;
  if (photo.stages.publish.status === "done" || photo.stages.publish.mediaId) {
    if (job.step === "permalink") await fetchPermalink(rt, photo, log);
    return;
  }
  try {
    // A token Instagram refused stops publishing here, without asking again for every photo.
    const refusal = job.step === "permalink" ? undefined : await tokenRefusal(rt.config);
    if (refusal) throw refusal;
    switch (job.step) {
      case "create":
        return await createContainer(rt, photo, log);
      case "check":
        return await checkContainer(rt, photo, job.checks, log);
      case "publish":
        return await publishContainer(rt, photo, log);
      case "permalink":
        return;
    }
  } catch (error) {
    if (error instanceof GraphApiError && (await deferOnGraphError(rt, job, error, log))) return;
    if (error === LEASE_HELD) throw error; // the holder records the outcome
    if (error instanceof GraphApiError && error.kind === "auth") await noteTokenProblem(rt, error);
    await rt.photos.update(photo.id, failStage("publish", error, rt.now()));
    log.error(`publish step ${job.step} failed`, { error });
    if (isRetryable(error)) throw error;
  }
}

/**
 * Graph API answers that mean "later" or "start over" rather than "failed": the step is re-sent
 * instead of failing the photo. Returns whether the error was handled that way.
 */
async function deferOnGraphError(
  rt: Runtime,
  job: PublishJob,
  error: GraphApiError,
  log: Logger,
): Promise<boolean> {
  const next = (step: PublishJob["step"], delaySeconds: number) =>
    rt.queues.publish({ photoId: job.photoId, step, checks: job.checks }, delaySeconds);
  const wait = (patch: object = {}) => markWaiting(rt, job.photoId, patch);
  switch (error.kind) {
    case "not_ready":
      await wait();
      await next("check", delayFor(rt, job.checks));
      return true;
    case "quota_spent":
    case "rate_limited":
      log.warn(
        `Instagram says ${error.kind === "quota_spent" ? "the day's posts are spent" : "slow down"}; deferring`,
        {
          retryAfterSeconds: error.retryAfterSeconds,
        },
      );
      await wait();
      await next(job.step, error.retryAfterSeconds ?? quotaDeferSeconds(rt.config.instagram));
      return true;
    case "container_invalid":
      if (!error.recreateContainer) return false;
      await wait({ containerId: undefined, containerCreatedAt: undefined });
      await next("create", 0);
      return true;
    default:
      return false;
  }
}

/** The stage waits (for Instagram, or for the quota); the error of an earlier attempt is history. */
async function markWaiting(rt: Runtime, id: string, patch: object = {}): Promise<void> {
  await rt.photos.update(id, (p) => {
    if (p.stages.publish.status === "done") return undefined;
    const { lastError: _, ...stage } = p.stages.publish;
    return {
      ...p,
      stages: {
        ...p.stages,
        publish: { ...stage, status: "waiting", leaseUntil: 0, updatedAt: rt.now().toISOString(), ...patch },
      },
    };
  });
}

async function createContainer(rt: Runtime, photo: PhotoRecord, log: Logger): Promise<void> {
  const stage = photo.stages.publish;
  if (photo.stages.convert.status !== "done") throw new RetryableError("not_converted", "not converted yet");
  if (rt.config.instagram.mode === "manual" && !stage.approved) {
    await rt.photos.update(photo.id, setStage("publish", { status: "awaiting_approval" }, {}, rt.now()));
    log.info("awaiting approval");
    return;
  }
  if (!stage.containerId && awaitsMirror(rt, photo)) {
    await markWaiting(rt, photo.id);
    return rt.queues.publish({ photoId: photo.id, step: "create", checks: 0 }, delayFor(rt, 0));
  }
  if (!stage.containerId) {
    // No container while the quota is spent: it would expire unpublished after 24 h, and
    // containers have their own limit (400 a day).
    const gate = await readQuotaGate(rt.graph, rt.config.instagram);
    if (!gate.open) {
      log.info("publishing quota spent; deferring the container", { ...gate });
      await markWaiting(rt, photo.id);
      return rt.queues.publish({ photoId: photo.id, step: "create", checks: 0 }, gate.deferSeconds);
    }
    const caption = await captionFor(rt, photo, log);
    const created = await createMediaContainer(rt, photo, caption);
    if (created === "later") {
      await markWaiting(rt, photo.id);
      return rt.queues.publish({ photoId: photo.id, step: "create", checks: 0 }, delayFor(rt, 0));
    }
    const { id } = created;
    const now = rt.now();
    // A concurrent consumer may have created one too; the first recorded container wins and the
    // other simply expires unpublished.
    await rt.photos.update(photo.id, (p) =>
      p.stages.publish.containerId
        ? undefined
        : setStage(
            "publish",
            {
              status: "waiting",
              containerId: id,
              containerCreatedAt: now.toISOString(),
              attempts: p.stages.publish.attempts + 1,
            },
            {},
            now,
          )(p),
    );
    log.info("container created", { containerId: id });
  }
  await rt.queues.publish({ photoId: photo.id, step: "check", checks: 0 }, delayFor(rt, 0));
}

async function checkContainer(rt: Runtime, photo: PhotoRecord, checks: number, log: Logger): Promise<void> {
  const { containerId, containerCreatedAt } = photo.stages.publish;
  if (!containerId) return rt.queues.publish({ photoId: photo.id, step: "create", checks: 0 });
  const { statusCode, status } = await rt.graph.getContainerStatus(containerId);
  log.info("container status", { containerId, statusCode, checks });
  switch (statusCode) {
    case "FINISHED":
      return rt.queues.publish({ photoId: photo.id, step: "publish", checks });
    case "PUBLISHED":
      await markPublished(rt, photo.id, undefined);
      return;
    case "EXPIRED":
      // Unpublished for 24 h (e.g. waiting for approval): a fresh container starts over.
      await rt.photos.update(photo.id, (p) => ({
        ...p,
        stages: { ...p.stages, publish: { ...withoutContainers(p.stages.publish), status: "pending" } },
      }));
      return rt.queues.publish({ photoId: photo.id, step: "create", checks: 0 });
    case "ERROR":
      throw new ContainerError(`Instagram could not process the image: ${status ?? "no reason given"}`);
    case "IN_PROGRESS": {
      const age = (rt.now().getTime() - Date.parse(containerCreatedAt ?? photo.updatedAt)) / 1000;
      if (age > rt.config.instagram.checkDeadlineSeconds) {
        throw new ContainerError(`container still processing after ${Math.round(age)} s`);
      }
      await rt.queues.publish(
        { photoId: photo.id, step: "check", checks: checks + 1 },
        delayFor(rt, checks + 1),
      );
    }
  }
}

async function publishContainer(rt: Runtime, photo: PhotoRecord, log: Logger): Promise<void> {
  const containerId = photo.stages.publish.containerId;
  if (!containerId) return rt.queues.publish({ photoId: photo.id, step: "create", checks: 0 });
  const leaseUntil = rt.now().getTime() + LEASE_MS;
  const held = await rt.photos.update(photo.id, (p) => {
    const stage = p.stages.publish;
    if (stage.mediaId || stage.status === "done") return undefined;
    if ((stage.leaseUntil ?? 0) > rt.now().getTime()) throw LEASE_HELD;
    return setStage("publish", { leaseUntil, status: "running" }, {}, rt.now())(p);
  });
  if (held.stages.publish.leaseUntil !== leaseUntil) return; // already published

  let published = false;
  try {
    // A crash after media_publish but before we recorded it leaves the container PUBLISHED: done.
    const { statusCode } = await rt.graph.getContainerStatus(containerId);
    if (statusCode === "PUBLISHED") {
      await markPublished(rt, photo.id, undefined);
      published = true;
      return;
    }
    if (statusCode !== "FINISHED")
      return await rt.queues.publish({ photoId: photo.id, step: "check", checks: 0 });

    const gate = await readQuotaGate(rt.graph, rt.config.instagram);
    if (!gate.open) {
      log.info("publishing quota spent; deferring", { ...gate });
      return await rt.queues.publish({ photoId: photo.id, step: "publish", checks: 0 }, gate.deferSeconds);
    }
    const { mediaId } = await rt.graph.publish(containerId);
    await markPublished(rt, photo.id, mediaId);
    published = true;
    log.info("published", { mediaId });
    await rt.queues.publish({ photoId: photo.id, step: "permalink", checks: 0 });
  } finally {
    // Whoever comes next re-reads the container first, so releasing is safe even after an
    // ambiguous failure of media_publish itself.
    if (!published) await releaseLease(rt, photo.id, leaseUntil);
  }
}

async function releaseLease(rt: Runtime, id: string, leaseUntil: number): Promise<void> {
  await rt.photos.update(id, (p) =>
    p.stages.publish.leaseUntil === leaseUntil && !p.stages.publish.mediaId
      ? setStage("publish", { leaseUntil: 0, status: "waiting" }, {}, rt.now())(p)
      : undefined,
  );
}

async function markPublished(rt: Runtime, id: string, mediaId: string | undefined): Promise<void> {
  const now = rt.now();
  await rt.photos.update(id, (p) =>
    p.stages.publish.mediaId
      ? undefined
      : setStage(
          "publish",
          { status: "done", leaseUntil: 0, publishedAt: now.toISOString(), ...(mediaId && { mediaId }) },
          {},
          now,
        )(p),
  );
}

/** The permalink is a nicety: failing to read it never fails the photo. */
async function fetchPermalink(rt: Runtime, photo: PhotoRecord, log: Logger): Promise<void> {
  const { mediaId, permalink } = photo.stages.publish;
  if (!mediaId || permalink) return;
  try {
    const media = await rt.graph.getMedia(mediaId);
    if (media.permalink) {
      await rt.photos.update(photo.id, setStage("publish", { permalink: media.permalink }, {}, rt.now()));
    }
  } catch (error) {
    log.warn("could not read the permalink", { error });
  }
}

function delayFor(rt: Runtime, checks: number): number {
  const delays = rt.config.instagram.checkDelaysSeconds;
  return delays[Math.min(checks, delays.length - 1)] ?? 60;
}

/** Instagram could not process the container (ERROR, or stuck past the deadline): the photo fails with the reason. */
class ContainerError extends PhotoRelayError {
  constructor(message: string) {
    super("container_failed", message);
    this.name = "ContainerError";
  }
}
