/** Content publishing: containers, media_publish, the publishing limit, and reading containers and media. */
import { Hono } from "hono";
import type { GraphEnv, SandboxContext } from "./context.ts";
import { createContainer, downloadVideo, processVideo } from "./create-container.ts";
import { errors, GraphError } from "./graph-error.ts";
import { fieldsOf, pick, versionOf } from "./request.ts";
import type { Container, Media } from "./state.ts";

export function publishingRoutes(ctx: SandboxContext): Hono<GraphEnv> {
  const app = new Hono<GraphEnv>();
  const ownAccount = (id: string, method: string) => {
    if (id !== ctx.state.account.igUserId) throw errors.unsupported(method, id);
  };

  app.post("/:ig/media", async (c) => {
    ownAccount(c.req.param("ig"), "post");
    const params = c.var.params;
    const container = await createContainer(ctx, params);
    if (params.upload_type !== "resumable") return c.json({ id: container.id });
    const uri = `${ctx.baseUrl()}/ig-api-upload/${versionOf(c.req.url)}/${container.id}`;
    return c.json({ id: container.id, uri });
  });

  app.post("/:ig/media_publish", (c) => {
    ownAccount(c.req.param("ig"), "post");
    return c.json({ id: publish(ctx, c.var.params.creation_id) });
  });

  app.get("/:ig/content_publishing_limit", (c) => {
    ownAccount(c.req.param("ig"), "get");
    const params = c.var.params;
    const sinceMs = params.since ? Number(params.since) * 1000 : 0;
    const entry: Record<string, unknown> = {
      quota_usage: ctx.state.countInWindow(ctx.state.publishLog, sinceMs),
    };
    if (fieldsOf(params, []).includes("config")) {
      entry.config = { quota_total: ctx.settings.quotaTotal, quota_duration: 86400 };
    }
    return c.json({ data: [entry] });
  });

  app.get("/:ig/media", (c) => {
    ownAccount(c.req.param("ig"), "get");
    const fields = fieldsOf(c.var.params, ["id"]);
    return c.json({
      data: ctx.state.publishedMedia().map((m) => pick(fields, mediaFields(ctx, m), "IGMedia")),
    });
  });

  app.get("/:id", (c) => {
    const id = c.req.param("id");
    const params = c.var.params;
    const { account } = ctx.state;
    if (id === account.igUserId) {
      const available = {
        id,
        username: account.username,
        user_id: id,
        name: account.username,
        media_count: ctx.state.media.size,
      };
      return c.json(pick(fieldsOf(params, ["id"]), available, "IGUser"));
    }
    if (id === account.pageId) {
      const available = { id, name: account.pageName, instagram_business_account: { id: account.igUserId } };
      return c.json(pick(fieldsOf(params, ["id"]), available, "Page"));
    }
    const container = ctx.state.containers.get(id);
    const media = ctx.state.media.get(id);
    if (!container && !media) throw errors.unsupported("get", id);
    if (ctx.faults.take("unsupported_get")) throw errors.unsupported("get", id);
    if (media) return c.json(pick(fieldsOf(params, ["id"]), mediaFields(ctx, media), "IGMedia"));
    return c.json(
      pick(fieldsOf(params, ["id"]), containerFields(ctx, container as Container), "ShadowIGMediaBuilder"),
    );
  });

  app.post("/ig-api-upload/:id", async (c) => rupload(ctx, c.req.param("id"), c.req.raw));
  return app;
}

function publish(ctx: SandboxContext, creationId: string | undefined): string {
  if (ctx.faults.take("spam_block")) throw errors.spam();
  if (ctx.faults.take("account_restricted")) throw errors.restricted();
  if (!creationId) throw errors.param("The parameter creation_id is required.");
  if (ctx.faults.take("creation_id_expired")) throw errors.creationIdUnknown();
  const container = ctx.state.containers.get(creationId);
  if (!container) throw errors.creationIdUnknown();
  if (container.isCarouselItem)
    throw errors.param("Carousel items are published through their carousel container.");
  switch (ctx.state.statusOf(container)) {
    case "PUBLISHED":
      if (ctx.settings.republish === "same_media" && container.publishedMediaId)
        return container.publishedMediaId;
      throw new GraphError(ctx.settings.republishError);
    case "EXPIRED":
      throw errors.containerExpired();
    case "IN_PROGRESS":
    case "ERROR":
      throw errors.notReady();
    default:
      if (ctx.faults.take("media_not_ready")) throw errors.notReady();
      break;
  }
  if (ctx.state.countInWindow(ctx.state.publishLog) >= ctx.settings.quotaTotal) throw errors.quotaReached();
  const now = ctx.clock.now();
  const id = ctx.state.newId();
  const media: Media = {
    id,
    containerId: container.id,
    mediaType: container.kind === "CAROUSEL" ? "CAROUSEL_ALBUM" : container.image ? "IMAGE" : "VIDEO",
    productType: container.kind === "REELS" ? "REELS" : container.kind === "STORIES" ? "STORY" : "FEED",
    timestamp: now,
    shortcode: Buffer.from(id.slice(-9)).toString("base64url"),
  };
  if (container.caption !== undefined) media.caption = container.caption;
  if (container.children) media.children = container.children;
  ctx.state.media.set(id, media);
  ctx.state.publishLog.push(now);
  container.publishedMediaId = id;
  return id;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+0000");
}

function mediaFields(ctx: SandboxContext, m: Media): Record<string, unknown> {
  const base = ctx.baseUrl();
  return {
    id: m.id,
    caption: m.caption,
    media_type: m.mediaType,
    media_product_type: m.productType,
    permalink: `${base}/${m.productType === "REELS" ? "reel" : "p"}/${m.shortcode}/`,
    shortcode: m.shortcode,
    timestamp: isoSeconds(m.timestamp),
    username: ctx.state.account.username,
    media_url: m.mediaType === "VIDEO" ? undefined : `${base}/__sandbox/media/${m.id}.jpg`,
    is_comment_enabled: true,
  };
}

function containerFields(ctx: SandboxContext, container: Container): Record<string, unknown> {
  const status = ctx.state.statusOf(container);
  const video =
    container.kind === "REELS" ||
    container.kind === "VIDEO" ||
    (container.kind === "STORIES" && !container.image);
  return {
    id: container.id,
    status_code: status,
    status: ctx.state.statusText(container),
    copyright_check_status: video
      ? { matches_found: false, status: status === "IN_PROGRESS" ? "in_progress" : "completed" }
      : undefined,
  };
}

/** `rupload.facebook.com/ig-api-upload/{ver}/{container}`: bytes in the body or a `file_url` header. */
async function rupload(ctx: SandboxContext, id: string, request: Request): Promise<Response> {
  const fail = (message: string, status = 400) =>
    Response.json(
      {
        debug_info: {
          retriable: false,
          type: "ProcessingFailedError",
          message: JSON.stringify({ success: false, error: { message } }),
        },
      },
      { status },
    );
  const token = request.headers.get("authorization")?.match(/^OAuth\s+(\S+)$/i)?.[1];
  try {
    ctx.tokens.check(token);
  } catch {
    return fail("unauthorized user request", 401);
  }
  const container = ctx.state.containers.get(id);
  if (!container || container.readyAt !== null || container.error)
    return fail("invalid container for upload");
  const fileUrl = request.headers.get("file_url");
  await processVideo(ctx, container, async (spoolTo) => {
    if (fileUrl) return downloadVideo(ctx, fileUrl, container.kind, spoolTo);
    const bytes = new Uint8Array(await request.arrayBuffer());
    return { size: bytes.byteLength, bytes };
  });
  return Response.json({ success: true, message: "Upload successful." });
}
