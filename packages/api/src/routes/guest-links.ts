/**
 * Guest upload links. The owner's routes: `GET /guest-links` (each with its token, for the URL and
 * QR code), `POST /guest-links` `{label, expiresAt, maxFiles, maxBytes}`, `DELETE /guest-links/:id`
 * (revokes; the record stays, with what it received). A guest's own: `GET /guest/link` (what their
 * link allows and has used), with the link's token.
 */
import type { PublishRuntime } from "@photo-relay/pipeline/api";
import type { Hono } from "hono";
import * as z from "zod/mini";
import { bearer, guestLinks, openGuestLink } from "../caller.ts";
import type { GuestLink } from "../guest-link-store.ts";
import { uploadRules } from "../upload-rules.ts";
import { UploadRefused } from "../web-errors.ts";
import { body } from "./validate.ts";

const MAX_LINK_DAYS = 90;

export const createBody = z.object({
  label: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  expiresAt: z.iso.datetime({ offset: true }),
  maxFiles: z.int().check(z.minimum(1), z.maximum(10_000)),
  maxBytes: z.int().check(z.minimum(1024 * 1024, "a link must allow at least 1 MiB")),
});

export function mountGuestRoutes(app: Hono, runtime: () => PublishRuntime): void {
  app.get("/guest/link", async (c) => {
    const rt = runtime();
    const link = await openGuestLink(rt, bearer(c));
    return c.json({ link, rules: uploadRules(rt.config) });
  });
}

export function mountGuestLinkAdmin(app: Hono, runtime: () => PublishRuntime): void {
  const withToken = (rt: PublishRuntime, link: GuestLink) => ({
    ...link,
    token: `${link.linkId}.${guestLinks(rt).secretOf(link.linkId)}`,
    path: `/app/guest/${link.linkId}#${guestLinks(rt).secretOf(link.linkId)}`,
  });

  app.get("/guest-links", async (c) => {
    const rt = runtime();
    return c.json({ links: (await guestLinks(rt).list()).map((l) => withToken(rt, l)) });
  });

  app.post("/guest-links", async (c) => {
    const rt = runtime();
    const req = await body(c, createBody);
    const now = rt.now();
    const expires = Date.parse(req.expiresAt);
    if (expires <= now.getTime() || expires > now.getTime() + MAX_LINK_DAYS * 86_400_000) {
      throw new UploadRefused(
        "upload_refused",
        `a link must expire in the future, within ${MAX_LINK_DAYS} days`,
      );
    }
    const link = await guestLinks(rt).create({ ...req, expiresAt: new Date(expires).toISOString() }, now);
    return c.json(withToken(rt, link), 201);
  });

  app.delete("/guest-links/:linkId", async (c) => {
    const rt = runtime();
    const link = await guestLinks(rt).revoke(c.req.param("linkId"), rt.now());
    if (!link) return c.json({ error: { code: "not_found", message: "no such guest link" } }, 404);
    return c.json(withToken(rt, link));
  });
}
