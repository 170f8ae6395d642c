/**
 * `POST /{ig-user-id}/media`: validates synchronously what Meta validates synchronously (params,
 * caption, image download and image rules) and leaves videos to finish — or fail — while "processing".
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferSource, fileSource } from "./byte-source.ts";
import type { SandboxContext } from "./context.ts";
import { errors, GraphError } from "./graph-error.ts";
import { downloadMedia } from "./media-download.ts";
import { checkCaption, checkImage, LIMITS, videoProblem } from "./media-rules.ts";
import type { Params } from "./request.ts";
import type { Container, ContainerKind } from "./state.ts";
import { probeVideo } from "./video-probe.ts";

const MEDIA_TYPES = new Set<string>(["IMAGE", "VIDEO", "CAROUSEL", "REELS", "STORIES"]);

export async function createContainer(ctx: SandboxContext, params: Params): Promise<Container> {
  if (ctx.faults.take("spam_block")) throw errors.spam();
  if (ctx.faults.take("account_restricted")) throw errors.restricted();
  if (ctx.state.countInWindow(ctx.state.containerLog) >= ctx.settings.containerLimit) {
    throw new GraphError(ctx.settings.containerLimitError);
  }
  const mediaType = params.media_type?.toUpperCase();
  if (mediaType !== undefined && !MEDIA_TYPES.has(mediaType)) throw errors.unknownMediaType();
  const isCarouselItem = params.is_carousel_item === "true";
  if (isCarouselItem && params.caption !== undefined)
    throw errors.param("Carousel items cannot have a caption.");
  checkCaption(params.caption);
  if (params.alt_text !== undefined && [...params.alt_text].length > LIMITS.altTextChars) {
    throw errors.param("The alt_text must be at most 1000 characters.");
  }
  const now = ctx.clock.now();
  const container: Container = {
    id: ctx.state.newId(),
    kind: (mediaType as ContainerKind | undefined) ?? "IMAGE",
    isCarouselItem,
    createdAt: now,
    readyAt: now + ctx.settings.processingMs,
  };
  if (params.caption !== undefined) container.caption = params.caption;
  if (params.alt_text !== undefined) container.altText = params.alt_text;

  if (container.kind === "CAROUSEL") {
    container.children = carouselChildren(ctx, params.children);
  } else if (container.kind === "VIDEO" && !isCarouselItem) {
    throw errors.param(
      "The VIDEO media type is no longer supported for single feed videos; use REELS.",
      2207023,
    );
  } else if (params.video_url !== undefined || params.upload_type === "resumable") {
    if (container.kind === "IMAGE")
      throw errors.param("video_url requires media_type REELS, STORIES or VIDEO.");
    await attachVideo(ctx, container, params);
  } else if (params.image_url !== undefined) {
    if (container.kind === "REELS") throw errors.param("The parameter video_url is required.");
    await attachImage(ctx, container, params.image_url);
  } else {
    throw errors.param(
      `The parameter ${container.kind === "REELS" ? "video_url" : "image_url"} is required.`,
    );
  }
  ctx.state.containers.set(container.id, container);
  ctx.state.containerLog.push(now);
  return container;
}

function carouselChildren(ctx: SandboxContext, raw: string | undefined): string[] {
  const ids = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length < 2 || ids.length > 10) throw errors.carouselSize();
  for (const id of ids) {
    const child = ctx.state.containers.get(id);
    if (!child) throw errors.param(`The carousel item ${id} does not exist.`, 2207006);
    if (!child.isCarouselItem)
      throw errors.param(`Container ${id} was not created with is_carousel_item=true.`);
  }
  return ids;
}

async function attachImage(ctx: SandboxContext, container: Container, url: string): Promise<void> {
  container.imageUrl = url;
  if (ctx.faults.take("media_fetch_failed")) throw errors.fetchFailed(url);
  const download = await downloadMedia(url, {
    timeoutMs: ctx.settings.fetchTimeoutMs,
    limitBytes: LIMITS.imageBytes,
    keepBytes: LIMITS.imageBytes,
  });
  const anyRatio = container.kind === "STORIES";
  const image = await checkImage(download.head, download.size, url, anyRatio);
  const file = join(ctx.mediaDir, `${container.id}.jpg`);
  await writeFile(file, download.head);
  container.image = { file, bytes: download.head.byteLength };
  container.width = image.width;
  container.height = image.height;
}

async function attachVideo(ctx: SandboxContext, container: Container, params: Params): Promise<void> {
  if (params.cover_url !== undefined) container.coverUrl = params.cover_url;
  if (params.share_to_feed !== undefined) container.shareToFeed = params.share_to_feed === "true";
  if (params.upload_type === "resumable") {
    container.readyAt = null; // stays IN_PROGRESS until bytes arrive at rupload
    return;
  }
  const url = params.video_url ?? "";
  container.videoUrl = url;
  await processVideo(ctx, container, (spoolTo) => downloadVideo(ctx, url, container.kind, spoolTo));
  const offset = params.thumb_offset === undefined ? undefined : Number(params.thumb_offset);
  if (offset !== undefined && container.durationSeconds !== undefined) {
    if (!(offset >= 0) || offset >= container.durationSeconds * 1000) throw errors.badThumbOffset();
  }
}

/** Downloads a video into `spoolTo` (up to the size limit; one byte more says it is too big). */
export async function downloadVideo(
  ctx: SandboxContext,
  url: string,
  kind: ContainerKind,
  spoolTo: string,
): Promise<LoadedVideo> {
  if (ctx.faults.take("media_fetch_failed")) throw errors.fetchFailed(url);
  const limit = kind === "STORIES" ? LIMITS.storyVideoBytes : LIMITS.reelsBytes;
  const { size } = await downloadMedia(url, {
    timeoutMs: ctx.settings.fetchTimeoutMs,
    limitBytes: limit,
    keepBytes: 0,
    spoolTo,
  });
  return { size };
}

/** What a video loader hands over: the size, and the bytes when already in memory (else in the spool file). */
export interface LoadedVideo {
  size: number;
  bytes?: Uint8Array;
}

/**
 * Applies the video rules to downloaded (or uploaded) bytes: `load` fetches them, into the spool
 * file it is given unless it has them in memory. Failures do not fail the request: the container
 * ends in ERROR, since Meta processes video asynchronously.
 */
export async function processVideo(
  ctx: SandboxContext,
  container: Container,
  load: (spoolTo: string) => Promise<LoadedVideo>,
): Promise<void> {
  container.readyAt = ctx.clock.now() + ctx.settings.videoProcessingMs;
  const dir = await mkdtemp(join(tmpdir(), "graph-sandbox-video-"));
  try {
    const spool = join(dir, "upload");
    const { size, bytes } = await load(spool);
    const source = bytes ? bufferSource(bytes) : await fileSource(spool);
    const probe = await probeVideo(source).finally(() => source.close());
    container.videoProbe = probe;
    if (probe.ok) container.durationSeconds = probe.durationSeconds;
    const problem = videoProblem(probe, size, container.kind === "STORIES" ? "STORIES" : "REELS");
    if (problem) container.error = problem;
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    container.error = {
      subcode: error.subcode ?? 2207052,
      status:
        error.subcode === 2207003
          ? "Error: It takes too long to download the media (2207003)."
          : "Error: Media download has failed. The media URI doesn't meet our requirements.",
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
