/**
 * The HTTP API: one small Hono app that runs in Lambda (behind API Gateway) and on Node (the local
 * stack). Every route but `/health` and the data-less page shells under `/app` needs the bearer token; errors are translated in `onError` only.
 */
import { describeError, isPhotoId, ValidationError } from "@photo-relay/core";
import {
  burstsOf,
  type PublishRuntime,
  publishPending,
  redrivePhoto,
  requestPublish,
} from "@photo-relay/pipeline/api";
import { PHOTO_STATUSES } from "@photo-relay/pipeline/photo";
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import { $ZodError } from "zod/v4/core";
import { authGate } from "./auth-gate.ts";
import { AuthThrottle, AuthThrottledError } from "./auth-throttle.ts";
import { httpStatusOf } from "./error-status.ts";
import { photoListJson, presentPhoto } from "./photo-list.ts";
import { mountOwnerRoutes, mountPublicRoutes } from "./routes/index.ts";
import { statusJson } from "./status-report.ts";
import { presignUpload, uploadRequest } from "./uploads.ts";

export function createApi(runtime: () => PublishRuntime, throttle = new AuthThrottle()): Hono {
  const app = new Hono();

  app.get("/health", (c) => c.json({ ok: true }));
  // One door for the rest: the owner's token, or a guest link's on the routes open to guests.
  app.use("*", authGate(runtime, throttle));
  mountPublicRoutes(app, runtime);
  mountOwnerRoutes(app, runtime);

  // Both answers are shared by their callers, and so is their JSON text (shared-answer.ts).
  app.get("/status", async (c) => json(c, await statusJson(runtime())));

  app.get("/photos", async (c) => json(c, await photoListJson(runtime(), listQuery.parse(c.req.query()))));

  app.get("/photos/:id", async (c) => {
    const rt = runtime();
    const photo = await rt.photos.require(photoId(c.req.param("id")));
    return c.json(await presentPhoto(rt, photo, await burstsOf(rt, [photo]), "page"));
  });

  app.post("/photos/:id/publish", async (c) => {
    const outcome = await requestPublish(runtime(), photoId(c.req.param("id")));
    return c.json({ outcome }, outcome === "queued" ? 202 : 200);
  });

  app.post("/publish", async (c) => c.json(await publishPending(runtime())));

  app.post("/photos/:id/retry", async (c) =>
    c.json(await redrivePhoto(runtime(), photoId(c.req.param("id"))), 202),
  );

  app.post("/uploads", async (c) => {
    const body = uploadRequest.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) throw new ValidationError("bad_request", z.prettifyError(body.error));
    return c.json(await presignUpload(runtime(), body.data), 201);
  });

  app.notFound((c) => c.json({ error: { code: "not_found", message: "no such route" } }, 404));
  app.onError((error, c) => {
    const status = httpStatusOf(error);
    if (error instanceof $ZodError) {
      return c.json({ error: { code: "bad_request", message: z.prettifyError(error) } }, status);
    }
    if (error instanceof AuthThrottledError) c.header("retry-after", String(error.retryAfterSeconds));
    if (status < 500) return c.json({ error: describeError(error) }, status);
    runtime().logger.error("request failed", { error, path: c.req.path });
    const { code } = describeError(error);
    return c.json({ error: { code, message: "internal error; see the API logs" } }, status);
  });
  return app;
}

export const listQuery = z.object({
  status: z.optional(z.enum(PHOTO_STATUSES)),
  limit: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200))),
  cursor: z.optional(z.string()),
});

/** A body already written as JSON, with the header `c.json` gives. */
const json = (c: Context, text: string) => c.body(text, 200, { "content-type": "application/json" });

function photoId(value: string): string {
  if (!isPhotoId(value)) throw new ValidationError("bad_request", "photo id must be a SHA-256 hex string");
  return value;
}
