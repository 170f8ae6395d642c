/**
 * Bursts and dead letters on the dashboard, in real Chromium against the local stack: a burst of
 * six frames from the capture PC shows as its pick and five alternates (badges; "picks only"
 * hides the alternates), a frame's page shows the whole burst with the pick marked, and the owner
 * posts another frame instead; a photo whose message was dead-lettered has a badge and a filter.
 */
import { createLogger } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { setStage } from "@photo-relay/pipeline/photo";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drawnScene, shootBurst } from "../packages/imaging/test/fixtures/bursts.ts";
import { launchChromium, newContext, screenshot } from "./support/browser.ts";
import { cameraJpeg } from "./support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "./support/stack.ts";
import { waitFor } from "./support/wait.ts";

let stack: LocalStack;
let browser: Browser;
/** The burst's frames in shooting order; the sharp one is shot last, so it is not the lead. */
const frames: string[] = [];
let sharpFrame: string;
let deadLettered: string;

beforeAll(async () => {
  stack = await testStack({
    publishMode: "manual",
    logger: createLogger("web-bursts", { level: "SILENT" }),
    settings: { bursts: { settleSeconds: 1 } },
  });
  browser = await launchChromium();
  const [sharpShot, ...soft] = await shootBurst(await drawnScene(6100, 1200, 800), 6100);
  for (const [i, shot] of [...soft, sharpShot].entries()) {
    const data = await sharp(shot?.jpeg)
      .withExif({
        IFD0: { Make: "NIKON CORPORATION", Model: "NIKON D800" },
        IFD2: {
          DateTimeOriginal: "2026:06:12 18:40:00",
          SubSecTimeOriginal: String(100 + i * 250).padStart(3, "0"),
          BodySerialNumber: "3006100",
        },
      })
      .jpeg({ quality: 92 })
      .toBuffer();
    frames.push(await uploadOriginal(stack, data, `DSC_61${i}0.JPG`, "agent"));
  }
  sharpFrame = frames.at(-1) as string;
  deadLettered = await uploadOriginal(
    stack,
    await cameraJpeg({ width: 600, height: 400, seed: 6199 }),
    "late.jpg",
    "phone",
  );
  await waitForPhoto(
    stack,
    sharpFrame,
    (p) => p.status === "awaiting_approval",
    "the pick awaiting approval",
  );
  for (const id of frames.slice(0, -1))
    await waitForPhoto(
      stack,
      id,
      (p) => p.burst?.role === "alternate" && p.status === "done",
      "an alternate",
    );
  await waitForPhoto(stack, deadLettered, (p) => p.status === "awaiting_approval", "the phone's photo");
  // What the dead-letter consumer records when the mirror's message reaches its queue.
  await stack.runtime.photos.update(
    deadLettered,
    setStage("mirror", {
      status: "failed",
      deadLettered: true,
      lastError: { code: "mirror_unreachable", message: "host down", at: new Date().toISOString() },
    }),
  );
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function dashboard(hash = ""): Promise<Page> {
  const page = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
  await page.goto(`${stack.urls.api}/app/dashboard${hash}`);
  return page;
}

const cards = (page: Page) =>
  page.$$eval(".grid .card", (els) =>
    els.map((e) => ({ id: (e as HTMLElement).dataset.id, role: (e as HTMLElement).dataset.role })),
  );

describe("dashboard: bursts and dead letters", () => {
  it("shows a burst as its pick and its alternates, and hides the alternates on asking", async () => {
    const page = await dashboard();
    await page.waitForSelector(`.card[data-id="${sharpFrame}"]`);
    const shown = await cards(page);
    expect(
      shown
        .filter((c) => frames.includes(c.id as string))
        .map((c) => c.role)
        .sort(),
    ).toEqual(["alternate", "alternate", "alternate", "alternate", "alternate", "pick"]);
    expect(shown.find((c) => c.id === sharpFrame)?.role).toBe("pick");
    expect(await page.locator(`.card[data-id="${sharpFrame}"] [data-badge="burst"]`).textContent()).toBe(
      "burst: the pick",
    );
    await screenshot(page, "dashboard-bursts");
    await page.selectOption('select[name="frames"]', "picks");
    await waitFor(async () => (await cards(page)).length === 2, "the pick and the phone's photo");
    expect(new Set((await cards(page)).map((c) => c.id))).toEqual(new Set([sharpFrame, deadLettered]));
    await page.context().close();
  });

  it("shows the burst on a frame's page and posts another frame instead", async () => {
    const page = await dashboard(`#/photos/${frames[0]}`);
    const panel = page.locator('section[aria-labelledby="burst-title"]');
    await panel.waitFor();
    expect(await panel.locator("h3").textContent()).toBe("Burst of 6 frames");
    expect(await panel.locator('li[data-role="pick"]').getAttribute("data-frame")).toBe(sharpFrame);
    await screenshot(page, "photo-page-burst");
    await panel.getByRole("button", { name: "Post DSC_6100.JPG instead" }).click();
    await waitFor(
      async () => (await panel.locator('li[data-role="pick"]').getAttribute("data-frame")) === frames[0],
      "the owner's pick marked",
    );
    await waitForPhoto(stack, frames[0] as string, (p) => p.burst?.role === "pick", "the owner's pick");
    await page.context().close();
  });

  it("badges a dead-lettered photo and filters on it", async () => {
    const page = await dashboard();
    const badge = page.locator(`.card[data-id="${deadLettered}"] [data-badge="dead-lettered"]`);
    await badge.waitFor();
    expect(await badge.textContent()).toBe("dead-lettered (mirror)");
    await page.selectOption('select[name="state"]', "dead_lettered");
    await waitFor(
      async () => JSON.stringify((await cards(page)).map((c) => c.id)) === JSON.stringify([deadLettered]),
      "only the dead-lettered photo",
    );
    await page.context().close();
  });
});
