/**
 * Who is calling: the owner (the API token) or a guest (a guest link's scoped token). Guest tokens
 * open only the upload routes and their link's own page; every other route refuses them. A guest
 * request is also counted against its link's rate budget.
 */
import { timingSafeEqual } from "node:crypto";
import { requireConfig } from "@photo-relay/core";
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { Runtime } from "@photo-relay/pipeline/runtime";
import type { Context } from "hono";
import { type GuestLink, GuestLinkStore } from "./guest-link-store.ts";
import { UploadRefused } from "./web-errors.ts";

export type Caller = { kind: "owner" } | { kind: "guest"; link: GuestLink };

/** Requests per minute one guest link may make (sign requests included: a 2 GB video is ~256 parts). */
export const GUEST_REQUESTS_PER_MINUTE = 600;

const stores = new WeakMap<Runtime, GuestLinkStore>();

/** The owner's API token (the API function is never started without it: `FUNCTION_NEEDS`). */
export const apiToken = (rt: Runtime): string => requireConfig(rt.config, ["api.token"]).api.token;

/** The runtime's guest link store (one per runtime, over its DynamoDB client and table). */
export function guestLinks(rt: Runtime): GuestLinkStore {
  let store = stores.get(rt);
  if (!store) {
    store = new GuestLinkStore(rt.clients.dynamo, rt.config.dynamodb.table, apiToken(rt));
    stores.set(rt, store);
  }
  return store;
}

export function bearer(c: Context): string {
  const header = c.req.header("authorization") ?? "";
  return header.startsWith("Bearer ") ? header.slice(7) : "";
}

export function isOwnerToken(rt: PublishRuntime, token: string): boolean {
  const a = Buffer.from(token);
  const b = Buffer.from(apiToken(rt));
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The caller of a route open to owner and guests; throws for anyone else. */
export async function resolveCaller(rt: PublishRuntime, c: Context): Promise<Caller> {
  const token = bearer(c);
  if (isOwnerToken(rt, token)) return { kind: "owner" };
  return { kind: "guest", link: await openGuestLink(rt, token) };
}

/** The link a guest token opens, if it is valid, live and within its rate budget. */
export async function openGuestLink(rt: PublishRuntime, token: string): Promise<GuestLink> {
  const store = guestLinks(rt);
  const linkId = store.verify(token);
  const link = linkId ? await store.get(linkId) : undefined;
  if (!link)
    throw new UploadRefused("guest_link_invalid", "this upload link is not valid; ask for a new one");
  if (link.revokedAt)
    throw new UploadRefused("guest_link_revoked", "this upload link was switched off by its owner");
  const now = rt.now();
  if (Date.parse(link.expiresAt) <= now.getTime()) {
    throw new UploadRefused("guest_link_expired", "this upload link has expired");
  }
  if (!(await store.hit(link.linkId, GUEST_REQUESTS_PER_MINUTE, now))) {
    throw new UploadRefused("rate_limited", "too many requests from this link; wait a minute and retry");
  }
  return link;
}
