/**
 * The upload page in real Chromium against the local stack, at a desktop and a phone viewport:
 * files dropped on the page go straight to S3 (small ones as one presigned POST, a 60 MB one in
 * parts), into the pipeline; a photo S3 holds is not sent again; files that are not photos, or
 * too large, are refused with the reason on the page; a page killed mid-upload resumes where it
 * stopped, and a dropped connection is waited out, with no part sent twice (checked on the S3 side).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { originalKey, sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dropFiles,
  launchChromium,
  newContext,
  screenshot,
  seriousA11yIssues,
  type ViewportName,
} from "./support/browser.ts";
import { cameraJpeg } from "./support/photos.ts";
import { recordS3Requests, type S3Request } from "./support/s3-requests.ts";
import { testStack } from "./support/stack.ts";
import { waitFor } from "./support/wait.ts";

const MiB = 1024 * 1024;
/** The tests that move 60 MB through Chromium get more time on a busy 2-core machine. */
const HEAVY_MS = 180_000;
const DROP_ZONE = ".uppy-Dashboard-AddFiles";

let stack: LocalStack;
let browser: Browser;
let s3: { requests: S3Request[]; stop(): void };
const dir = mkdtempSync(join(tmpdir(), "web-upload-"));

beforeAll(async () => {
  stack = await testStack({ publishMode: "manual", settings: { api: { maxUploadBytes: 64 * MiB } } });
  browser = await launchChromium();
  s3 = recordS3Requests(stack.fauxqs.port);
});
afterAll(async () => {
  s3?.stop();
  await browser?.close();
  await stack?.stop();
});

/** A real JPEG padded to `bytes` after its end marker: decoders stop at the marker, the hash covers it all. */
async function bigJpeg(path: string, bytes: number, seed: number): Promise<Buffer> {
  const head = await cameraJpeg({ width: 640, height: 480, seed });
  const data = Buffer.concat([head, randomBytes(bytes - head.length)]);
  writeFileSync(path, data);
  return data;
}

async function openUpload(viewport: ViewportName): Promise<Page> {
  const context = await newContext(browser, viewport, stack.apiToken);
  const page = await context.newPage();
  await page.goto(`${stack.urls.api}/app/upload`);
  await page.waitForSelector(DROP_ZONE);
  return page;
}

function waitForRows(page: Page, names: string[], states: string[], timeoutMs = 90_000) {
  return page.waitForFunction(
    ({ names, states }) =>
      names.every((n) =>
        states.includes(
          document.querySelector(`.uploads li[data-file="${n}"]`)?.getAttribute("data-state") ?? "",
        ),
      ),
    { names, states },
    { timeout: timeoutMs, polling: 200 },
  );
}

const head = (key: string) =>
  stack.runtime.clients.s3.send(new HeadObjectCommand({ Bucket: stack.config.s3.bucket, Key: key }));

describe.each(["desktop", "phone"] as const)("upload page (%s)", (viewport) => {
  // Seeds 100 apart: cameraJpeg's colour repeats every 256 seeds, and no two photos may be the same.
  const seed = viewport === "desktop" ? 1000 : 1100;

  it(
    "sends 30 dropped files straight to S3, a 60 MB one in parts, into the pipeline",
    async () => {
      const paths: string[] = [];
      const hashes: string[] = [];
      for (let i = 0; i < 29; i++) {
        const path = join(dir, `${viewport}-IMG_${String(i).padStart(4, "0")}.JPG`);
        const data = await cameraJpeg({ width: 320, height: 240, seed: seed + i });
        writeFileSync(path, data);
        paths.push(path);
        hashes.push(sha256Hex(data));
      }
      const bigPath = join(dir, `${viewport}-BIG.JPG`);
      const big = await bigJpeg(bigPath, 60_000_000, seed + 99);
      paths.push(bigPath);
      hashes.push(sha256Hex(big));
      const names = paths.map((p) => p.split("/").at(-1) as string);
      const page = await openUpload(viewport);
      const already = s3.requests.length;

      await dropFiles(page, DROP_ZONE, paths);
      await waitForRows(page, names, ["awaiting_approval"]);
      await screenshot(page, `upload-${viewport}`);

      for (const hash of hashes)
        expect((await head(originalKey(hash, ".jpg"))).ContentLength).toBeGreaterThan(0);
      const bigKey = originalKey(sha256Hex(big), ".jpg");
      expect((await head(bigKey)).ETag).toMatch(/-8"$/); // 60 MB in 8 MiB parts
      const sent = s3.requests.slice(already);
      const parts = sent.filter(
        (r) => r.key === bigKey && r.method === "PUT" && r.partNumber && r.status === 200,
      );
      expect(parts.map((r) => r.partNumber).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8,
      ]);
      // Every small file is one presigned POST of the form to the bucket.
      expect(sent.filter((r) => r.method === "POST" && r.key === "" && r.status < 300)).toHaveLength(29);
      const photo = await stack.runtime.photos.get(hashes[0] as string);
      expect(photo).toMatchObject({ source: "phone", originalName: names[0] });
    },
    HEAVY_MS,
  );

  it("says a photo S3 already holds is already there, and sends none of its bytes", async () => {
    const path = join(dir, `${viewport}-again.jpg`);
    const data = await cameraJpeg({ width: 320, height: 240, seed }); // the first photo of the test above
    writeFileSync(path, data);
    const page = await openUpload(viewport);
    const before = s3.requests.length;
    await dropFiles(page, DROP_ZONE, [path]);
    await waitForRows(page, [`${viewport}-again.jpg`], ["exists", "awaiting_approval"], 30_000);
    expect(await page.locator(`.uploads li[data-file="${viewport}-again.jpg"]`).textContent()).toMatch(
      /already there|awaiting approval/,
    );
    expect(s3.requests.slice(before).filter((r) => ["PUT", "POST"].includes(r.method))).toEqual([]);
  });

  it("refuses a file that is not a photo, one that lies about its type, and one over the limit, saying why", async () => {
    const text = join(dir, `${viewport}-notes.txt`);
    writeFileSync(text, "not a photo\n");
    const fake = join(dir, `${viewport}-fake.jpg`);
    writeFileSync(fake, Buffer.from("%PDF-1.7 this is a document, named like a photo"));
    const huge = join(dir, `${viewport}-huge.jpg`);
    await bigJpeg(huge, 65 * MiB, seed + 7);
    const page = await openUpload(viewport);
    const before = s3.requests.length;
    await dropFiles(page, DROP_ZONE, [text, fake, huge]);
    const names = [text, fake, huge].map((p) => p.split("/").at(-1) as string);
    await waitForRows(page, names, ["refused"], 30_000);
    const note = (name: string) => page.locator(`.uploads li[data-file="${name}"] .note`).textContent();
    expect(await note(names[0] as string)).toContain("only photos");
    expect(await note(names[1] as string)).toContain("its content is not a photo or video");
    expect(await note(names[2] as string)).toMatch(/is 65\.0 MiB; the limit is 64\.0 MiB/);
    await screenshot(page, `upload-refused-${viewport}`);
    expect(s3.requests.slice(before).filter((r) => ["PUT", "POST"].includes(r.method))).toEqual([]);
  });

  it("has no serious accessibility issue; every control is labelled and reachable by keyboard", async () => {
    const page = await openUpload(viewport);
    expect(await seriousA11yIssues(page)).toEqual([]);
    await page.keyboard.press("Tab");
    const reached: string[] = [];
    for (let i = 0; i < 12; i++) {
      reached.push(
        await page.evaluate(
          () =>
            document.activeElement?.textContent?.trim() ||
            document.activeElement?.getAttribute("aria-label") ||
            "",
        ),
      );
      await page.keyboard.press("Tab");
    }
    expect(reached.join(" | ")).toMatch(/browse files/i);
  });
});

describe("upload page: interruptions", () => {
  it(
    "resumes where it stopped when the page comes back: no part is sent twice",
    async () => {
      const path = join(dir, "resume-BIG.JPG");
      const data = await bigJpeg(path, 60_000_000, 4242);
      const key = originalKey(sha256Hex(data), ".jpg");
      const context = await newContext(browser, "desktop", stack.apiToken);
      const first = await context.newPage();
      // A slow uplink, so that the page dies with the upload half done.
      const cdp = await context.newCDPSession(first);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: 10 * MiB,
      });
      await first.goto(`${stack.urls.api}/app/upload`);
      await first.waitForSelector(DROP_ZONE);
      const start = s3.requests.length;
      const partsDone = () =>
        s3.requests.slice(start).filter((r) => r.key === key && r.partNumber && r.status === 200);
      await dropFiles(first, DROP_ZONE, [path]);
      await waitFor(() => partsDone().length >= 2, "two parts in S3", { timeoutMs: 60_000, intervalMs: 20 });
      await first.close();
      const before = new Set(partsDone().map((r) => r.partNumber));
      expect(before.size).toBeLessThan(8);

      const again = await context.newPage();
      await again.goto(`${stack.urls.api}/app/upload`);
      await again.waitForSelector(".uppy-Dashboard-Item-reSelect");
      await screenshot(again, "upload-restored");
      await again.click(".uppy-Dashboard-Item-reSelect");
      await again.setInputFiles(".uppy-Dashboard-input >> nth=0", path);
      await waitForRows(again, ["resume-BIG.JPG"], ["awaiting_approval"]);

      const sent = s3.requests.slice(start).filter((r) => r.key === key);
      const uploads = new Set(sent.filter((r) => r.uploadId).map((r) => r.uploadId));
      expect(uploads.size).toBe(1); // the same multipart upload went on; none was started again
      // One CreateMultipartUpload (the API's, with the first ticket): the restored page named its upload.
      expect(sent.filter((r) => r.method === "POST" && !r.uploadId)).toHaveLength(1);
      const numbers = partsDone().map((r) => r.partNumber as number);
      // Each part was stored exactly once: the ones S3 held before the page died were not sent again.
      expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(sent.some((r) => r.method === "GET" && r.uploadId)).toBe(true); // it asked S3 which parts it has
      expect((await head(key)).ETag).toMatch(/-8"$/);
    },
    HEAVY_MS,
  );

  it(
    "waits out a dropped connection and goes on by itself, sending each part once",
    async () => {
      const path = join(dir, "offline-BIG.JPG");
      const data = await bigJpeg(path, 30_000_000, 4343);
      const key = originalKey(sha256Hex(data), ".jpg");
      const context = await newContext(browser, "phone", stack.apiToken);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      const network = (offline: boolean) =>
        cdp.send("Network.emulateNetworkConditions", {
          offline,
          latency: 0,
          downloadThroughput: -1,
          uploadThroughput: 10 * MiB,
        });
      await network(false);
      await page.goto(`${stack.urls.api}/app/upload`);
      await page.waitForSelector(DROP_ZONE);
      const start = s3.requests.length;
      const partsDone = () =>
        s3.requests.slice(start).filter((r) => r.key === key && r.partNumber && r.status === 200);
      await dropFiles(page, DROP_ZONE, [path]);
      await waitFor(() => partsDone().length >= 1, "a part in S3", { timeoutMs: 60_000, intervalMs: 20 });
      await network(true);
      const stalled = partsDone().length;
      await page.waitForFunction(() => !navigator.onLine);
      await network(false);
      await waitForRows(page, ["offline-BIG.JPG"], ["awaiting_approval"]);
      expect(stalled).toBeLessThan(4);
      expect(
        partsDone()
          .map((r) => r.partNumber as number)
          .sort((a, b) => a - b),
      ).toEqual([1, 2, 3, 4]);
    },
    HEAVY_MS,
  );
});
