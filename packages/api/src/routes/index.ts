/**
 * Where the browser-facing routes mount: before the owner-token check (pages, and the upload
 * routes that also take a guest link's token) and after it (everything only the owner may do).
 */
import type { Runtime } from "@photo-relay/pipeline";
import type { Hono } from "hono";
import { mountPageRoutes } from "./pages.ts";
import { mountUploadRoutes } from "./uploads.ts";

export function mountPublicRoutes(app: Hono, runtime: () => Runtime): void {
  mountPageRoutes(app, runtime);
  mountUploadRoutes(app, runtime);
}

export function mountOwnerRoutes(_app: Hono, _runtime: () => Runtime): void {}
