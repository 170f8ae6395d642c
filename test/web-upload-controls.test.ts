/**
 * The upload page's own controls in real Chromium against the local stack: a paused file sends
 * nothing while another goes through, and resumes without sending a stored part again; a cancelled
 * file's multipart upload is aborted in S3 (no parts left, no object). And the hashing worker gives
 * S3's SHA-256 on both of its paths: a file read whole (WebCrypto) and one streamed in slices.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeadObjectCommand, ListMultipartUploadsCommand } from "@aws-sdk/client-s3";
import { originalKey, sha256Hex } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import bundle from "@photo-relay/web/assets" with { type: "json" };
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dropFiles, launchChromium, newContext } from "./support/browser.ts";
import { cameraJpeg } from "./support/photos.ts";
import { recordS3Requests, type S3Request } from "./support/s3-requests.ts";
import { testStack } from "./support/stack.ts";
import { waitFor } from "./support/wait.ts";

const MiB = 1024 * 1024;
const HEAVY_MS = 180_000;
const DROP_ZONE = ".uppy-Dashboard-AddFiles";

let stack: LocalStack;
let browser: Browser;
let s3: { requests: S3Request[]; stop(): void };
const dir = mkdtempSync(join(tmpdir(), "web-upload-controls-"));

beforeAll(async () => {
  stack = await testStack({ publishMode: "manual" });
  browser = await launchChromium();
  s3 = recordS3Requests(stack.fauxqs.port);
});
afterAll(async () => {
  s3?.stop();
  await browser?.close();
  await stack?.stop();
});

async function photoFile(name: string, bytes: number, seed: number): Promise<{ path: string; key: string }> {
  const head = await cameraJpeg({ width: 640, height: 480, seed });
  const data = Buffer.concat([head, randomBytes(bytes - head.length)]);
  const path = join(dir, name);
  writeFileSync(path, data);
  return { path, key: originalKey(sha256Hex(data), ".jpg") };
}

/** The upload page on a slow uplink, so that a 30 MB file is still going when the test acts. */
async function slowUploadPage(): Promise<Page> {
  const context = await newContext(browser, "desktop", stack.apiToken);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 4 * MiB,
  });
  await page.goto(`${stack.urls.api}/app/upload`);
  await page.waitForSelector(DROP_ZONE);
  return page;
}

const item = (page: Page, name: string) => page.locator(".uppy-Dashboard-Item", { hasText: name });
const head = (key: string) =>
  stack.runtime.clients.s3.send(new HeadObjectCommand({ Bucket: stack.config.s3.bucket, Key: key }));

describe("upload page: pause, resume, cancel", () => {
  it(
    "pauses a file (nothing of it is sent while another file goes through) and resumes it, no part twice",
    async () => {
      const big = await photoFile("pause-BIG.JPG", 30_000_000, 5151);
      const small = await photoFile("while-paused.JPG", 200_000, 5152);
      const page = await slowUploadPage();
      const start = s3.requests.length;
      const parts = () => s3.requests.slice(start).filter((r) => r.key === big.key && r.partNumber);
      await dropFiles(page, DROP_ZONE, [big.path]);
      await waitFor(() => parts().some((r) => r.status === 200), "a part of the big file in S3", {
        timeoutMs: 60_000,
        intervalMs: 20,
      });
      await item(page, "pause-BIG.JPG").getByRole("button", { name: "Pause upload" }).click();
      await item(page, "pause-BIG.JPG").getByRole("button", { name: "Resume upload" }).waitFor();
      // Parts in flight at the pause are cut off (they never finish); none may start after it.
      const pausedAt = performance.now();
      await dropFiles(page, ".uppy-Dashboard-inner", [small.path]);
      await waitFor(
        () => s3.requests.some((r) => r.key === small.key && r.status < 300 && r.startedAt > pausedAt),
        "the other file in S3 while the first is paused",
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      expect(parts().filter((r) => r.startedAt > pausedAt)).toEqual([]);

      await item(page, "pause-BIG.JPG").getByRole("button", { name: "Resume upload" }).click();
      await waitFor(
        async () => (await head(big.key).catch(() => undefined)) !== undefined,
        "the big file in S3",
        {
          timeoutMs: 120_000,
        },
      );
      const stored = parts()
        .filter((r) => r.status === 200)
        .map((r) => r.partNumber as number);
      expect(stored.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]); // each part stored once
      expect(new Set(parts().map((r) => r.uploadId)).size).toBe(1); // the same multipart upload went on
      expect((await head(big.key)).ETag).toMatch(/-4"$/);
      await page.context().close();
    },
    HEAVY_MS,
  );

  it(
    "cancels a file: its multipart upload is aborted in S3, no parts and no object are left",
    async () => {
      const big = await photoFile("cancel-BIG.JPG", 30_000_000, 5353);
      const page = await slowUploadPage();
      const start = s3.requests.length;
      const mine = () => s3.requests.slice(start).filter((r) => r.key === big.key);
      await dropFiles(page, DROP_ZONE, [big.path]);
      await waitFor(() => mine().some((r) => r.partNumber && r.status === 200), "a part in S3", {
        timeoutMs: 60_000,
        intervalMs: 20,
      });
      const uploadId = mine().find((r) => r.uploadId)?.uploadId;
      await item(page, "cancel-BIG.JPG").getByRole("button", { name: "Remove file" }).click();
      await waitFor(
        () => mine().some((r) => r.method === "DELETE" && r.uploadId === uploadId && r.status < 300),
        "the multipart upload aborted",
        { timeoutMs: 30_000, intervalMs: 20 },
      );
      expect(await item(page, "cancel-BIG.JPG").count()).toBe(0);
      const open = await stack.runtime.clients.s3.send(
        new ListMultipartUploadsCommand({ Bucket: stack.config.s3.bucket, Prefix: big.key }),
      );
      expect(open.Uploads ?? []).toEqual([]);
      await expect(head(big.key)).rejects.toMatchObject({ name: "NotFound" });
      await page.context().close();
    },
    HEAVY_MS,
  );
});

describe("upload page: the hashing worker", () => {
  it("gives the file's SHA-256 read whole (WebCrypto) and streamed in slices (over 64 MiB)", async () => {
    const worker = Object.keys(bundle.assets).find((p) => p.includes("/hash-worker-"));
    const page = await (await newContext(browser, "desktop", stack.apiToken)).newPage();
    await page.goto(`${stack.urls.api}/app/upload`);
    const sizes = [3 * MiB + 17, 64 * MiB + 5];
    const hashes = await page.evaluate(
      async ({ url, sizes }) => {
        // The same bytes as below: byte i is (i * 31 + 7) mod 251.
        const bytesOf = (n: number) => {
          const bytes = new Uint8Array(n);
          for (let i = 0; i < n; i++) bytes[i] = (i * 31 + 7) % 251;
          return bytes;
        };
        const w = new Worker(url, { type: "module" });
        const results: string[] = [];
        for (const [i, n] of sizes.entries()) {
          results.push(
            await new Promise<string>((resolve, reject) => {
              w.onmessage = ({ data }) => {
                if (data.kind === "done") resolve(data.sha256);
                if (data.kind === "error") reject(new Error(data.message));
              };
              w.postMessage({ id: `f${i}`, file: new Blob([bytesOf(n)]) });
            }),
          );
        }
        w.terminate();
        return results;
      },
      { url: worker as string, sizes },
    );
    const expected = sizes.map((n) => {
      const bytes = Buffer.alloc(n);
      for (let i = 0; i < n; i++) bytes[i] = (i * 31 + 7) % 251;
      return createHash("sha256").update(bytes).digest("hex");
    });
    expect(hashes).toEqual(expected);
    await page.context().close();
  });
});
