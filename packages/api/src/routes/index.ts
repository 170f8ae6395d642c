/**
 * Where the browser-facing routes mount: before the owner-token check (pages, and the routes that
 * also take a guest link's token, which check it themselves) and after it (the owner's own).
 */
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { Hono } from "hono";
import { mountBurstRoutes } from "./bursts.ts";
import { mountDashboardRoutes } from "./dashboard.ts";
import { mountGuestLinkAdmin, mountGuestRoutes } from "./guest-links.ts";
import { mountPageRoutes } from "./pages.ts";
import { mountPhotoActions } from "./photo-actions.ts";
import { mountUploadRoutes } from "./uploads.ts";

export function mountPublicRoutes(app: Hono, runtime: () => PublishRuntime): void {
  mountPageRoutes(app, runtime);
  mountUploadRoutes(app, runtime);
  mountGuestRoutes(app, runtime);
}

export function mountOwnerRoutes(app: Hono, runtime: () => PublishRuntime): void {
  mountDashboardRoutes(app, runtime);
  mountGuestLinkAdmin(app, runtime);
  mountPhotoActions(app, runtime);
  mountBurstRoutes(app, runtime);
}
