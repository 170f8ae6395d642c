/**
 * The owner's actions on photos, beside the existing publish-now and retry routes:
 * - `GET  /photos/:id/view`: the photo page's data (renditions, journey, caption);
 * - `POST /photos/:id/publishing` `{action: "hold" | "skip" | "release"}`;
 * - `PUT  /photos/:id/caption` `{caption: string | null}`: the caption posted instead of the template's;
 * - `POST /retry`: re-drives every failed photo ("retry all"), oldest first, answering with counts.
 */
import { PhotoRelayError } from "@photo-relay/core";
import { type PublishRuntime, redrivePhoto } from "@photo-relay/pipeline/api";
import type { Hono } from "hono";
import * as z from "zod/mini";
import { choosePublishing, setCaption } from "../photo-choices.ts";
import { photoView } from "../photo-view.ts";
import { body, photoIdParam } from "./validate.ts";

export const publishingBody = z.object({ action: z.enum(["hold", "skip", "release"]) });
export const captionBody = z.object({ caption: z.nullable(z.string()) });

export function mountPhotoActions(app: Hono, runtime: () => PublishRuntime): void {
  app.get("/photos/:id/view", async (c) => {
    const rt = runtime();
    return c.json(await photoView(rt, await rt.photos.require(photoIdParam(c))));
  });

  app.post("/photos/:id/publishing", async (c) => {
    const rt = runtime();
    const { action } = await body(c, publishingBody);
    return c.json(await photoView(rt, await choosePublishing(rt, photoIdParam(c), action)));
  });

  app.put("/photos/:id/caption", async (c) => {
    const rt = runtime();
    const { caption } = await body(c, captionBody);
    return c.json(await photoView(rt, await setCaption(rt, photoIdParam(c), caption)));
  });

  app.post("/retry", async (c) => {
    const rt = runtime();
    // The photos first: re-driving moves them out of the index being paged.
    const failed: { id: string; createdAt: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await rt.photos.list({ status: "failed", limit: 100, ...(cursor && { cursor }) });
      failed.push(...page.photos);
      cursor = page.cursor;
    } while (cursor);
    // Oldest arrival first (the index lists the latest failure first): photos a refused token or
    // an outage stopped are then posted in the order they came, not backwards.
    const ids = failed.sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((p) => p.id);
    const result = { found: ids.length, redriven: 0, failed: 0 };
    for (const id of ids) {
      try {
        await redrivePhoto(rt, id);
        result.redriven++;
      } catch (error) {
        if (!(error instanceof PhotoRelayError && error.code === "nothing_to_retry")) result.failed++;
      }
    }
    return c.json(result, 202);
  });
}
