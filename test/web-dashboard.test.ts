/**
 * The dashboard in real Chromium against the local stack (manual publishing): the grid with a
 * badge per stage and its filters, a photo's page with its actions (publish now, retry, hold,
 * skip, caption), the health header with the capture PC's heartbeat, a file the capture PC refused
 * (a counted item with its reason and where its bytes are), live updates of a photo delivered while
 * the page is open, and accessibility at a desktop and a phone viewport.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { heartbeatKey, type Rejection, rejectionKey } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { rejectionRecordId } from "@photo-relay/pipeline/photo";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  launchChromium,
  newContext,
  screenshot,
  seriousA11yIssues,
  type ViewportName,
} from "./support/browser.ts";
import { cameraJpeg } from "./support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "./support/stack.ts";
import { waitFor } from "./support/wait.ts";

let stack: LocalStack;
let browser: Browser;
const ids: string[] = [];
let broken: string;
let refused: string;

/** What the agent sends for a camera JPEG cut short (agent/src/reports/rejections.ts). */
const CUT_SHORT: Rejection = {
  agentId: "capture-1",
  reportId: "a".repeat(64),
  at: new Date().toISOString(),
  file: { name: "DSC_0999.JPG", path: "DSC_0999.JPG", bytes: 7_340_032, sha256: "a".repeat(64) },
  reason: { code: "incomplete", message: "JPEG has no end-of-image marker (FFD9) after the grace time" },
  kept: "rejected-folder",
};

async function heartbeat(agentId: string, at: Date, spoolFiles: number): Promise<void> {
  const body = {
    agentId,
    hostname: `${agentId}.studio`,
    version: "1.0.0",
    at: at.toISOString(),
    intervalSeconds: 10,
    online: true,
    spool: { files: spoolFiles, bytes: spoolFiles * 25_000_000 },
    lastFile: { name: "DSC_0420.NEF", at: at.toISOString() },
    counters: { delivered: 12, rejected: 0, failed: 0 },
  };
  await stack.runtime.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.s3.bucket,
      Key: heartbeatKey(agentId),
      Body: JSON.stringify(body),
    }),
  );
}

beforeAll(async () => {
  stack = await testStack({
    publishMode: "manual",
    settings: {
      instagram: { captionTemplate: "{filename} {hashtags}", hashtags: ["studio"] },
      // Every photo on its own here (the capture PC's would be grouped into bursts by default).
      bursts: { sources: { agent: { policy: "all" } } },
    },
  });
  browser = await launchChromium();
  const sources = ["agent", "agent", "phone", "guest:AbCdEfGhIjKl", "agent"];
  for (const [i, source] of sources.entries()) {
    ids.push(
      await uploadOriginal(
        stack,
        await cameraJpeg({ width: 900, height: 600, seed: 700 + i }),
        `DSC_07${i}0.JPG`,
        source,
      ),
    );
  }
  broken = await uploadOriginal(stack, Buffer.from("not really a JPEG"), "broken.jpg");
  await stack.runtime.clients.s3.send(
    new PutObjectCommand({
      Bucket: stack.config.s3.bucket,
      Key: rejectionKey(CUT_SHORT.agentId, CUT_SHORT.reportId),
      Body: JSON.stringify(CUT_SHORT),
    }),
  );
  refused = rejectionRecordId(CUT_SHORT);
  for (const id of ids)
    await waitForPhoto(stack, id, (p) => p.status === "awaiting_approval", "awaiting approval");
  await waitForPhoto(stack, broken, (p) => p.status === "failed", "failed");
  await waitForPhoto(stack, refused, (p) => p.status === "rejected", "the refused file recorded");
  await heartbeat("capture-1", new Date(), 3);
  await heartbeat("capture-2", new Date(Date.now() - 10 * 60_000), 7); // silent for 10 minutes
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openDashboard(viewport: ViewportName, hash = ""): Promise<Page> {
  const context = await newContext(browser, viewport, stack.apiToken);
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/app/dashboard${hash}`);
  await page.waitForSelector(".tile");
  return page;
}

const cards = (page: Page) =>
  page.$$eval(".grid .card", (els) => els.map((e) => (e as HTMLElement).dataset.id));

describe("dashboard", () => {
  it("shows the photos, newest arrival first, with a badge per stage, and filters them", async () => {
    // The first photo to arrive is changed last: it stays last in the grid all the same.
    const photos = stack.runtime.photos;
    const records = await Promise.all([...ids, broken, refused].map((id) => photos.require(id)));
    const byArrival = records.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((p) => p.id);
    await photos.update(byArrival.at(-1) as string, (p) => ({ ...p }));
    const page = await openDashboard("desktop");
    await page.waitForSelector(`.card[data-id="${broken}"]`);
    expect(await cards(page)).toEqual(byArrival);
    const badge = page.locator(`.card[data-id="${ids[0]}"] [data-stage="publish"]`);
    expect(await badge.textContent()).toBe("publish: awaiting approval");
    expect(await page.locator(`.card[data-id="${broken}"] .card-error`).textContent()).toMatch(/^convert: /);

    await page.selectOption('select[name="state"]', "failed");
    await waitFor(
      async () => JSON.stringify(await cards(page)) === JSON.stringify([broken]),
      "only the failed photo",
    );
    await page.selectOption('select[name="state"]', "");
    await page.selectOption('select[name="source"]', "agent");
    await waitFor(
      async () => (await cards(page)).length === 4,
      "the capture PC's three photos and its refused file",
    );
    expect(new Set(await cards(page))).toEqual(new Set([ids[0], ids[1], ids[4], refused]));
    await page.selectOption('select[name="source"]', "guest");
    await waitFor(
      async () => JSON.stringify(await cards(page)) === JSON.stringify([ids[3]]),
      "the guest's photo",
    );
    await page.selectOption('select[name="source"]', "");
    await page.fill('input[name="q"]', "dsc_0720");
    await waitFor(
      async () => JSON.stringify(await cards(page)) === JSON.stringify([ids[2]]),
      "the photo named DSC_0720",
    );
  });

  it("shows the capture PCs: one online with its spool and last file, one overdue and offline", async () => {
    const page = await openDashboard("desktop");
    const online = page.locator('[data-agent="capture-1"]');
    await online.waitFor();
    expect(await online.getAttribute("data-online")).toBe("true");
    expect(await online.textContent()).toMatch(/spool 3 files.*last DSC_0420\.NEF/);
    expect(await page.locator('[data-agent="capture-2"]').getAttribute("data-online")).toBe("false");
    expect(await page.locator('[data-tile="photos"] [data-count="failed"]').textContent()).toBe("1");
    expect(await page.locator('[data-tile="instagram"]').textContent()).toMatch(/0 of 50 posts used/);
    await screenshot(page, "dashboard-desktop");
  });

  it("shows a file the capture PC refused as a counted item: its reason, where its bytes are, no actions", async () => {
    const page = await openDashboard("desktop");
    const card = page.locator(`.card[data-id="${refused}"]`);
    await card.waitFor();
    expect(await card.getAttribute("data-status")).toBe("rejected");
    expect(await card.locator(".badge.refused").textContent()).toBe("refused: incomplete");
    expect(await card.locator("[data-stage]").count()).toBe(0); // no stage ever ran for it
    expect(await card.locator("[data-refusal-reason]").textContent()).toBe(CUT_SHORT.reason.message);
    expect(await card.locator(".meta").textContent()).toContain("kept on capture-1, in rejected/");
    expect(await page.locator('[data-tile="photos"] [data-count="rejected"]').textContent()).toBe("1");

    await page.selectOption('select[name="state"]', "rejected");
    await waitFor(
      async () => JSON.stringify(await cards(page)) === JSON.stringify([refused]),
      "only the refused file",
    );
    await card.click();
    const panel = page.locator(`.photo-page[data-id="${refused}"] .refusal`);
    await panel.waitFor();
    expect(await panel.textContent()).toMatch(/Refused by the capture PC.*refused: incomplete/);
    expect(await panel.textContent()).toContain(CUT_SHORT.reason.message);
    expect(await page.locator(".photo-page button").count()).toBe(0);
    expect(await page.locator(".renditions").count()).toBe(0);
    expect(await seriousA11yIssues(page)).toEqual([]);
  });

  it("publishes a photo from its page and shows its Instagram permalink and mirrored URL", async () => {
    const page = await openDashboard("desktop");
    await page.click(`.card[data-id="${ids[0]}"]`);
    await page.waitForSelector(`.photo-page[data-id="${ids[0]}"]`);
    expect(await page.locator(".renditions img").count()).toBe(3);
    expect(await page.locator('.timeline li[data-stage="convert"][data-status="done"]').count()).toBe(1);
    await page.click("text=Publish now");
    await page.waitForSelector('[data-link="instagram"]', { timeout: 30_000 });
    expect(await page.locator('[data-link="mirror"]').getAttribute("href")).toContain(stack.urls.web);
    await screenshot(page, "photo-desktop");
    expect((await stack.runtime.photos.get(ids[0] as string))?.stages.publish.permalink).toBeDefined();
  });

  it("retries a failed stage from the photo page", async () => {
    const page = await openDashboard("desktop", `#/photos/${broken}`);
    await page.click("text=Retry failed stage");
    await waitForPhoto(
      stack,
      broken,
      (p) => p.stages.convert.attempts === 2 && p.status === "failed",
      "a second attempt",
    );
    await page.waitForFunction(
      () => document.querySelectorAll('.timeline li[data-status="failed"]').length === 2,
    );
  });

  it("holds, skips and releases publishing, and saves a caption to post instead of the template's", async () => {
    const id = ids[1] as string;
    const page = await openDashboard("desktop", `#/photos/${id}`);
    const preview = (which: string) => page.locator(`[data-caption="${which}"]`).textContent();
    await page.waitForSelector('[data-caption="posted"]');
    expect(await preview("posted")).toBe("DSC_0710.JPG #studio"); // the template's, until the owner writes one
    await page.fill('textarea[name="caption"]', "First dance #wedding");
    await page.click("text=Save caption");
    await page.waitForSelector("text=Caption saved");
    expect(await stack.runtime.photos.get(id)).toMatchObject({ captionOverride: "First dance #wedding" });
    expect(await preview("posted")).toBe("First dance #wedding");
    expect(await preview("template")).toBe("DSC_0710.JPG #studio");
    await page.click("text=Hold publishing");
    await page.waitForSelector("text=Release hold");
    expect(await stack.runtime.photos.get(id)).toMatchObject({ publishHold: "hold" });
    await page.click("text=Release hold");
    await page.click("text=Skip Instagram");
    await page.waitForSelector("text=Publish after all");
    const skipped = await stack.runtime.photos.get(id);
    expect(skipped).toMatchObject({ publishHold: "skip", status: "done" });
    expect(skipped?.stages.publish.status).toBe("skipped");
  });

  it("shows a photo delivered while the page is open, without reloading, one request per interval", async () => {
    const page = await openDashboard("desktop");
    await page.waitForSelector(".grid .card");
    const asked: string[] = [];
    page.on("request", (r) => asked.push(new URL(r.url()).pathname));
    const started = Date.now();
    const id = await uploadOriginal(
      stack,
      await cameraJpeg({ width: 800, height: 800, seed: 790 }),
      "LIVE_0001.JPG",
    );
    await page.waitForSelector(`.card[data-id="${id}"][data-status="awaiting_approval"]`, {
      timeout: 30_000,
    });
    const seconds = (Date.now() - started) / 1000;
    const live = asked.filter((p) => p === "/dashboard/live").length;
    expect(live).toBeLessThanOrEqual(Math.ceil(seconds / 1.5) + 1);
    expect(asked.filter((p) => p.startsWith("/dashboard/photos") || p.startsWith("/photos"))).toEqual([]);
  });
});

describe.each(["desktop", "phone"] as const)("dashboard accessibility (%s)", (viewport) => {
  it("has no serious issue on the grid, a photo's page and the guest links", async () => {
    const page = await openDashboard(viewport);
    await page.waitForSelector(".grid .card");
    await page.waitForSelector(".charts canvas");
    expect(await seriousA11yIssues(page)).toEqual([]);
    await screenshot(page, `dashboard-${viewport}`);
    await page.goto(`${stack.urls.api}/app/dashboard#/photos/${ids[2]}`);
    await page.waitForSelector(".photo-page");
    expect(await seriousA11yIssues(page)).toEqual([]);
    await screenshot(page, `photo-${viewport}`);
    await page.goto(`${stack.urls.api}/app/dashboard#/links`);
    await page.waitForSelector("form.new-link");
    expect(await seriousA11yIssues(page)).toEqual([]);
  });

  it("reaches the photos by keyboard and opens one with Enter", async () => {
    const page = await openDashboard(viewport);
    await page.waitForSelector(".grid .card");
    let onCard = false;
    for (let i = 0; i < 40 && !onCard; i++) {
      await page.keyboard.press("Tab");
      onCard = await page.evaluate(() => document.activeElement?.classList.contains("card") ?? false);
    }
    expect(onCard).toBe(true);
    await page.keyboard.press("Enter");
    await page.waitForSelector(".photo-page");
  });
});
