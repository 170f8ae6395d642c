/**
 * Guest upload links end to end: the owner makes one in the dashboard (URL and QR code); a guest
 * who opens it uploads and sees only their own files; the guest's token opens nothing else; a
 * link's limits hold; switched-off and expired links are refused, on the page and by the API.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropFiles, launchChromium, newContext, screenshot, seriousA11yIssues } from "./support/browser.ts";
import { cameraJpeg } from "./support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "./support/stack.ts";
import { waitFor } from "./support/wait.ts";

let stack: LocalStack;
let browser: Browser;
const dir = mkdtempSync(join(tmpdir(), "web-guest-"));

interface Link {
  linkId: string;
  token: string;
  path: string;
}

beforeAll(async () => {
  stack = await testStack({ publishMode: "manual" });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const call = (path: string, token: string, init: RequestInit = {}) =>
  fetch(`${stack.urls.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
  });

async function createLink(body: Record<string, unknown>): Promise<Link> {
  const res = await call("/guest-links", stack.apiToken, {
    method: "POST",
    body: JSON.stringify({ label: "Test", maxFiles: 50, maxBytes: 100 * 1024 * 1024, ...body }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Link;
}

async function photoFile(name: string, seed: number): Promise<string> {
  const path = join(dir, name);
  writeFileSync(path, await cameraJpeg({ width: 400, height: 300, seed }));
  return path;
}

async function openAsGuest(url: string, viewport: "desktop" | "phone" = "phone"): Promise<Page> {
  const page = await (await newContext(browser, viewport)).newPage(); // no owner token in this browser
  await page.goto(url);
  return page;
}

describe("guest links", () => {
  let link: Link;
  let url: string;

  it("are made in the dashboard and shown as a URL and a QR code", async () => {
    const page = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
    await page.goto(`${stack.urls.api}/app/dashboard#/links`);
    await page.fill('input[name="label"]', "Anna & Ben's wedding");
    await page.fill('input[name="maxFiles"]', "3");
    await page.click("text=Create link");
    const card = page.locator(".link-card").first();
    await card.waitFor();
    url = await card.locator('input[name="url"]').inputValue();
    expect(url).toMatch(new RegExp(`^${stack.urls.api}/app/guest/[A-Za-z0-9_-]+#[A-Za-z0-9_-]+$`));
    expect(await card.locator(".qr svg").count()).toBe(1);
    await screenshot(page, "guest-links-desktop");
    const { links } = (await (await call("/guest-links", stack.apiToken)).json()) as { links: Link[] };
    link = links[0] as Link;
    expect(url).toBe(`${stack.urls.api}${link.path}`);
  });

  it("let a guest upload and follow only their own photos", async () => {
    const page = await openAsGuest(url);
    await page.waitForSelector("text=Anna & Ben's wedding");
    const files = [await photoFile("guest-1.jpg", 801), await photoFile("guest-2.jpg", 802)];
    await dropFiles(page, ".uppy-Dashboard-AddFiles", files);
    await page.waitForFunction(
      () => document.querySelectorAll('.uploads li[data-state="awaiting_approval"]').length === 2,
      undefined,
      { timeout: 60_000 },
    );
    await screenshot(page, "guest-phone");
    expect(await seriousA11yIssues(page)).toEqual([]);
    expect(await page.locator("nav").count()).toBe(0); // no way to the owner's pages
    const id = sha256Hex(await cameraJpeg({ width: 400, height: 300, seed: 801 }));
    expect(await stack.runtime.photos.get(id)).toMatchObject({
      source: `guest:${link.linkId}`,
      originalName: "guest-1.jpg",
    });
  });

  it("open nothing but the upload routes with the guest's token", async () => {
    for (const path of [
      "/photos",
      "/status",
      "/dashboard/live",
      "/dashboard/photos",
      "/guest-links",
      "/agents",
    ]) {
      expect((await call(path, link.token)).status, path).toBe(401);
    }
    expect((await call("/retry", link.token, { method: "POST" })).status).toBe(401);
    // Another photo's progress stays hidden from the guest, even by its id.
    const owners = await uploadOriginal(
      stack,
      await cameraJpeg({ width: 480, height: 320, seed: 803 }), // wide enough for Instagram (320 px)
      "owner.jpg",
    );
    await waitForPhoto(stack, owners, (p) => p.status === "awaiting_approval", "the owner's photo");
    const seen = await call(`/upload-sessions/status?ids=${owners}`, link.token);
    expect(await seen.json()).toEqual({ photos: [] });
    // The dashboard page holds no data; without the owner's token it only asks for it.
    const page = await openAsGuest(`${stack.urls.api}/app/dashboard`);
    await page.waitForSelector("text=Sign in to photo-relay");
    expect(await page.locator(".card").count()).toBe(0);
  });

  it("hold to their limits, counting a file once even when sent again", async () => {
    const page = await openAsGuest(url, "desktop");
    const files = [await photoFile("guest-3.jpg", 804), await photoFile("guest-4.jpg", 805)];
    await dropFiles(page, ".uppy-Dashboard-AddFiles", files);
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.uploads li[data-state="refused"]').length === 1 &&
        document.querySelectorAll('.uploads li[data-state="awaiting_approval"]').length === 1,
      undefined,
      { timeout: 60_000 },
    );
    expect(await page.locator('.uploads li[data-state="refused"] .note').textContent()).toMatch(
      /up to 3 files/,
    );
    const { link: used } = (await (await call("/guest/link", link.token)).json()) as {
      link: { usedFiles: number };
    };
    expect(used.usedFiles).toBe(3);
  });

  it("are refused once switched off", async () => {
    const owner = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
    await owner.goto(`${stack.urls.api}/app/dashboard#/links`);
    await owner.click(`.link-card[data-link-id="${link.linkId}"] >> text=Switch off`);
    await owner.waitForSelector(`.link-card[data-link-id="${link.linkId}"][data-state="switched off"]`);
    const res = await call("/uploads/rules", link.token);
    expect(res.status).toBe(410);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("guest_link_revoked");
    const page = await openAsGuest(url);
    await page.waitForSelector("text=this upload link was switched off by its owner");
    expect(await page.locator(".uppy-Dashboard").count()).toBe(0);
  });

  it("are refused once expired", async () => {
    const short = await createLink({ expiresAt: new Date(Date.now() + 1500).toISOString() });
    await waitFor(
      async () => (await call("/uploads/rules", short.token)).status === 410,
      "the link to expire",
    );
    const page = await openAsGuest(`${stack.urls.api}${short.path}`);
    await page.waitForSelector("text=this upload link has expired");
    const forged = `${short.linkId}.${"A".repeat(43)}`;
    expect((await call("/uploads/rules", forged)).status).toBe(401);
  });
});
