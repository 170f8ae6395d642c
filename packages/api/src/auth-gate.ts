/**
 * The one door every request but `/health` and the page shells passes: the owner's token, or on a
 * route open to guests a guest link's token whose secret is right (the route then reads the link:
 * live, within its limits). Anything else is refused here, before any work and without a
 * DynamoDB read (constant-time comparisons and one HMAC), and counted against the caller's address
 * by the {@link AuthThrottle}: 401, then 429 once its budget of failures is spent. A new route open
 * to guests must be listed in {@link GUEST_ROUTES}; until it is, guests are refused (it fails closed).
 */
import { UnauthorizedError } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { MiddlewareHandler } from "hono";
import { type AuthThrottle, clientAddress } from "./auth-throttle.ts";
import { bearer, guestLinks, isOwnerToken } from "./caller.ts";
import { UploadRefused } from "./web-errors.ts";

/** Routes that take a guest link's token as well as the owner's. */
export const GUEST_ROUTES = new Set([
  "/uploads/rules",
  "/upload-sessions",
  "/upload-sessions/sign",
  "/upload-sessions/status",
  "/guest/link",
]);

/** Data-less page shells and their assets (`routes/pages.ts`). */
const isPage = (path: string) => path === "/app" || path.startsWith("/app/") || path === "/favicon.ico";

export function authGate(runtime: () => PublishRuntime, throttle: AuthThrottle): MiddlewareHandler {
  return async (c, next) => {
    const path = c.req.path;
    if (isPage(path)) return next();
    const rt = runtime();
    const token = bearer(c);
    if (isOwnerToken(rt, token)) return next();
    const guestRoute = GUEST_ROUTES.has(path);
    if (guestRoute && guestLinks(rt).verify(token)) return next();
    throttle.fail(clientAddress(c.env));
    throw guestRoute
      ? new UploadRefused("guest_link_invalid", "this upload link is not valid; ask for a new one")
      : new UnauthorizedError("a valid bearer token is required");
  };
}
