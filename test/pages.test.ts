/**
 * The browser pages in real Chromium: a phone uploads photos with progress straight to S3, and the
 * dashboard shows each photo's journey with its thumbnail.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@photo-relay/local-stack";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "./support/photos.ts";
import { testStack } from "./support/stack.ts";

let stack: LocalStack;
let browser: Browser;

beforeAll(async () => {
  stack = await testStack({ publishMode: "manual" });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openPage(path: string) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  await context.addInitScript((token) => localStorage.setItem("photo-relay-token", token), stack.apiToken);
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}${path}`);
  return page;
}

describe("pages", () => {
  it("uploads photos from a phone straight to S3, with progress, into the pipeline", async () => {
    const dir = mkdtempSync(join(tmpdir(), "phone-"));
    const files = [join(dir, "IMG_0001.JPG"), join(dir, "IMG_0002.JPG")];
    writeFileSync(files[0] as string, await cameraJpeg({ width: 1500, height: 2000, seed: 500 }));
    writeFileSync(files[1] as string, await cameraJpeg({ width: 2000, height: 1500, seed: 501 }));
    const page = await openPage("/app/upload");
    await page.setInputFiles("#files", files);
    // Manual mode: a finished upload waits for approval.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll(".upload")].filter(
          (r) => (r as HTMLElement).dataset.status === "awaiting approval",
        ).length === 2,
      undefined,
      { timeout: 30_000 },
    );
    const bars = await page.$$eval("progress", (ps) => ps.map((p) => (p as HTMLProgressElement).value));
    expect(bars).toEqual([1, 1]);
    const { photos } = await stack.runtime.photos.list();
    expect(
      photos
        .filter((p) => p.source === "phone")
        .map((p) => p.originalName)
        .sort(),
    ).toEqual(["IMG_0001.JPG", "IMG_0002.JPG"]);
  });

  it("shows each photo's journey with its thumbnail, and publishes on request", async () => {
    const page = await openPage("/app/dashboard");
    await page.waitForSelector('.card[data-status="awaiting_approval"] img[src]');
    const loaded = await page.$$eval(".card img", (imgs) =>
      Promise.all(
        (imgs as HTMLImageElement[]).map((img) =>
          img.complete ? img.naturalWidth : new Promise((r) => (img.onload = () => r(img.naturalWidth))),
        ),
      ),
    );
    expect(loaded.every((w) => Number(w) > 0)).toBe(true);
    await page.click('.card[data-status="awaiting_approval"] button');
    await page.waitForSelector('.card[data-status="done"] a:text("instagram")', { timeout: 30_000 });
    await page.screenshot({
      path: process.env.SCREENSHOT_DIR
        ? join(process.env.SCREENSHOT_DIR, "dashboard.png")
        : join(mkdtempSync(join(tmpdir(), "shot-")), "dashboard.png"),
    });
    expect(await page.locator('.card[data-status="done"] .stage.done').count()).toBe(3);
  });
});
