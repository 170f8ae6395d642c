/**
 * The live gallery as a guest sees it: Chromium on a phone viewport opens the gallery served over
 * HTTP from the folder vsftpd writes to, while the mirror delivers photos into it over FTPS.
 * The phone screenshot is written to test/output/ (not committed).
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GalleryEntry,
  type GalleryOptions,
  type MirrorSession,
  openSession,
  updateGallery,
} from "../src/index.ts";
import { type TestPhoto, testPhotos } from "./gallery-photos.ts";
import { manifestProblems } from "./gallery-reader.ts";
import { type StaticServer, serveFolder } from "./servers/static-http.ts";
import { startVsftpd, type VsftpdServer } from "./servers/vsftpd.ts";

const OUTPUT = join(import.meta.dirname, "output");
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

let ftp: VsftpdServer;
let web: StaticServer;
let browser: Browser;
const sessions: MirrorSession[] = [];

beforeAll(async () => {
  ftp = await startVsftpd();
  web = await serveFolder(ftp.root);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(sessions.map((s) => s.close()));
  await web?.close();
  await ftp?.stop();
});

/** A gallery folder over its own FTPS session, and the photo records it is derived from. */
function gallery(folder: string, options: GalleryOptions = {}) {
  const { host, port, user, password } = ftp;
  const ftps = { type: "ftps", host, port, user, password, ca: ftp.certificate.pem };
  const session = openSession({
    name: "web",
    transports: [ftps],
    pathTemplate: "{name}",
    publicBaseUrl: web.url,
  });
  sessions.push(session);
  const records = new Map<string, GalleryEntry>();
  const settings = { folder, pollSeconds: 1, ...options };
  return {
    url: `${web.url}${folder}/`,
    async deliver(photos: TestPhoto[]) {
      const onPlaced = async () => {
        for (const p of photos) records.set(p.entry.id, p.entry);
      };
      const entries = async () => [...records.values()];
      return updateGallery(session, { uploads: photos.map((p) => p.upload), onPlaced, entries }, settings);
    },
    async remove(id: string) {
      records.delete(id);
      return updateGallery(session, { entries: [...records.values()], removed: [id] }, settings);
    },
  };
}

/** A page that records, in the page, when each tile appeared and every image that failed. */
async function openGallery(context: BrowserContext, url: string): Promise<Page> {
  await context.addInitScript(() => {
    const w = window as unknown as { broken: string[]; inserted: Record<string, number> };
    w.broken = [];
    w.inserted = {};
    addEventListener(
      "error",
      (e) => {
        if (e.target instanceof HTMLImageElement) w.broken.push(e.target.currentSrc || e.target.src);
      },
      true,
    );
    new MutationObserver((records) => {
      for (const r of records) {
        for (const n of r.addedNodes) {
          const id = n instanceof HTMLElement ? n.dataset.id : undefined;
          if (id && !(id in w.inserted)) w.inserted[id] = Date.now();
        }
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const tileIds = (page: Page) =>
  page.$$eval(".grid .tile", (tiles) => tiles.map((t) => (t as HTMLElement).dataset.id ?? ""));
/** Images in the grid that finished loading without pixels: what a guest would see as broken. */
const brokenImages = (page: Page) =>
  page.$$eval(".grid img", (imgs) =>
    (imgs as HTMLImageElement[]).filter((i) => i.complete && i.naturalWidth === 0).map((i) => i.src),
  );

describe("gallery in the browser", () => {
  it("shows the newest photos without JavaScript, each a link to its web rendition", async () => {
    const g = gallery("no-script");
    await g.deliver(await testPhotos(0, 5));
    const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(g.url, { waitUntil: "load" });
      expect(await tileIds(page)).toEqual(["photo0004", "photo0003", "photo0002", "photo0001", "photo0000"]);
      expect(await brokenImages(page)).toEqual([]);
      expect(
        await page.$$eval(".grid img", (i) => i.every((img) => (img as HTMLImageElement).naturalWidth > 0)),
      );
      expect(await page.getAttribute(".tile", "href")).toBe("photos/photo0004-web.jpg");
    } finally {
      await context.close();
    }
  });

  it("shows each new photo by the first poll after its delivery, never a broken image, while gallery.json parses at every instant (200 updates over FTPS)", async () => {
    const g = gallery("live", { pageSize: 30, title: "Anna & Ben · 12 June" });
    const photos = await testPhotos(0, 203);
    await g.deliver(photos.slice(0, 3));
    const context = await browser.newContext(PHONE);
    try {
      const page = await openGallery(context, g.url);
      const polls: number[] = [];
      const failed: string[] = [];
      page.on("request", (r) => {
        if (new URL(r.url()).pathname.endsWith("/gallery.json")) polls.push(Date.now());
      });
      page.on("response", (r) => {
        if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
      });
      await page.waitForSelector('main[data-state="live"]');

      // A guest's browser, a crawler, a CDN: someone reads gallery.json all the time.
      let reading = true;
      const reads = { count: 0, problems: [] as string[] };
      const reader = (async () => {
        while (reading) {
          const body = await (await fetch(`${g.url}gallery.json`, { cache: "no-store" })).text();
          reads.count += 1;
          reads.problems.push(...(await manifestProblems(body, join(ftp.root, "live"))));
          await setTimeout(2); // pacing, so the reader does not starve the delivery on two cores
        }
      })();
      const delivered: [string, number][] = [];
      for (const p of photos.slice(3)) {
        await g.deliver([p]);
        delivered.push([p.entry.id, Date.now()]);
      }
      await page.waitForSelector('[data-id="photo0202"]', { timeout: 20_000 });
      reading = false;
      await reader;

      const inserted = await page.evaluate(
        () => (window as unknown as { inserted: Record<string, number> }).inserted,
      );
      const late = delivered.filter(([id, at]) => {
        const secondPoll = polls.filter((t) => t > at)[1];
        return inserted[id] === undefined || (secondPoll !== undefined && (inserted[id] ?? 0) > secondPoll);
      });
      const broken = await page.evaluate(() => (window as unknown as { broken: string[] }).broken);
      expect({
        late,
        failed,
        broken,
        problems: reads.problems,
        shownBroken: await brokenImages(page),
      }).toEqual({
        late: [],
        failed: [],
        broken: [],
        problems: [],
        shownBroken: [],
      });
      expect(reads.count).toBeGreaterThan(200);
      const ids = await tileIds(page);
      expect(ids).toHaveLength(203); // photos sealed into older pages stay on an open page
      expect(ids.slice(0, 3)).toEqual(["photo0202", "photo0201", "photo0200"]);
      const latency = delivered.map(([id, at]) => (inserted[id] ?? at) - at).sort((a, b) => a - b);
      console.info(
        // the figures for the README
        `gallery: ${reads.count} manifest reads, ${polls.length} polls; delivery → tile shown p50 ${latency[100]} ms, max ${latency.at(-1)} ms (poll 1 s)`,
      );

      await page.evaluate(() => scrollTo(0, 0));
      await page.waitForFunction(() =>
        [...document.querySelectorAll<HTMLImageElement>(".grid img")].slice(0, 12).every((i) => i.complete),
      );
      await mkdir(OUTPUT, { recursive: true });
      await page.screenshot({ path: join(OUTPUT, "gallery-phone.png") });
    } finally {
      await context.close();
    }
  }, 240_000);

  it("takes a removed photo off an open page", async () => {
    const g = gallery("removal");
    await g.deliver(await testPhotos(300, 4));
    const context = await browser.newContext(PHONE);
    try {
      const page = await openGallery(context, g.url);
      await page.waitForSelector('main[data-state="live"]');
      await g.remove("photo0303");
      await page.waitForSelector('[data-id="photo0303"]', { state: "detached", timeout: 10_000 });
      expect(await tileIds(page)).toEqual(["photo0302", "photo0301", "photo0300"]);
      expect(await page.evaluate(() => (window as unknown as { broken: string[] }).broken)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("loads older pages as the guest scrolls, and opens photos in a lightbox that swipes and closes with Back", async () => {
    const g = gallery("older", { pageSize: 4 });
    await g.deliver(await testPhotos(400, 19)); // 7 photos in gallery.json, 3 older pages of 4
    const context = await browser.newContext(PHONE);
    try {
      const html = await (await fetch(g.url)).text();
      expect(html.match(/class="tile"/g)).toHaveLength(7); // the first screen; the script loads the rest
      const page = await openGallery(context, g.url);
      await page.waitForFunction(() => {
        scrollTo(0, document.body.scrollHeight);
        return document.querySelectorAll(".grid .tile").length === 19;
      });
      expect(await page.isHidden(".more")).toBe(true);
      expect((await tileIds(page)).at(-1)).toBe("photo0400");

      await page.click('[data-id="photo0418"]');
      const box = page.locator("dialog.lightbox");
      await expect.poll(() => box.evaluate((d) => (d as HTMLDialogElement).open)).toBe(true);
      await page.waitForFunction(() => document.querySelector<HTMLImageElement>(".lightbox img")?.complete);
      expect(await box.locator("img").evaluate((i) => (i as HTMLImageElement).currentSrc)).toContain(
        "photo0418-web.jpg",
      );
      await page.keyboard.press("ArrowRight");
      expect(await box.locator("p").textContent()).toBe("Photo 417");
      await box.dispatchEvent("pointerdown", { clientX: 300 });
      await box.dispatchEvent("pointerup", { clientX: 80 });
      expect(await box.locator("p").textContent()).toBe("Photo 416");
      await page.goBack();
      await expect.poll(() => box.evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
      expect(page.url()).toBe(g.url);
    } finally {
      await context.close();
    }
  });
});
