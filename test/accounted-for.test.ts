/**
 * Issue 11 end to end on the local stack, with the agent watching its inbox: every file is
 * accounted for, and every photo id is honest.
 * - Files the agent refuses (cut short, not a photo, empty, too large) leave the inbox for
 *   `rejected/` and are visible, counted items of the API; system junk is ignored silently.
 * - Photos Instagram's rules refuse are converted for the web and recorded with the rule.
 * - A forged upload is refused by the stack's S3 where it carries its signed checksum, and caught
 *   by convert where it slips through.
 * - With MEDIA_CORPUS: the whole real-world corpus dropped into the inbox, each file ends as a
 *   photo in a final state with a named reason, or as a rejected item.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { createLogger, originalKey } from "@photo-relay/core";
import { type LocalStack, startLocalStack } from "@photo-relay/local-stack";
import { type PhotoRecord, quarantineRecordId, rejectionIdOfBytes } from "@photo-relay/pipeline/photo";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "./support/photos.ts";
import { FAST_SETTINGS } from "./support/stack.ts";
import { waitFor } from "./support/wait.ts";

const sha = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const corpus = process.env.MEDIA_CORPUS;

let stack: LocalStack;
let root: string;
let inbox: string;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.apiToken}`, "content-type": "application/json" },
  });
  return { status: res.status, body: (await res.json()) as T };
}
const record = async (id: string) => stack.runtime.photos.get(id);
/** Settled: done, failed with its reason, or a rejected or quarantined item; never left processing. */
const settled = (p: PhotoRecord | undefined): p is PhotoRecord =>
  p !== undefined && ["done", "failed", "rejected", "quarantined"].includes(p.status);

/** Random pixels: a JPEG that compresses badly, so a small image makes a large file. */
function noiseJpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0, seed = 11; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    pixels[i] = seed >>> 24;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

/** Asks the API for a presigned PUT of `data` and sends `body` with the signed headers. */
async function presignedPut(data: Buffer, body: Buffer, filename: string) {
  const { status, body: signed } = await api<{ url: string; headers: Record<string, string> }>("/uploads", {
    method: "POST",
    body: JSON.stringify({ filename, size: data.length, contentType: "image/jpeg", sha256: sha(data) }),
  });
  expect(status).toBe(201);
  const { "content-length": _length, ...headers } = signed.headers;
  const res = await fetch(signed.url, { method: "PUT", headers, body: new Uint8Array(body) });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "photo-relay-accounted-"));
  inbox = join(root, "inbox");
  stack = await startLocalStack({
    dataDir: join(root, ".data"),
    inbox,
    processedDir: join(root, "processed"),
    settings: FAST_SETTINGS,
    graphProcessingMs: 200,
    agentOptions: {
      stableMs: 200,
      graceMs: 1500,
      scanIntervalMs: 1000,
      maxFileBytes: 2_000_000,
      agentId: "capture-pc",
    },
    logger: createLogger("accounted", { level: "SILENT" }),
    env: {},
  });
});
afterAll(async () => {
  await stack?.stop();
});

describe("every file accounted for, every photo id honest", () => {
  it("makes each refused file a visible, counted item and each refused photo a recorded verdict", async () => {
    const good = await cameraJpeg({ width: 1200, height: 900, seed: 11_001 });
    const whole = await cameraJpeg({ width: 1600, height: 1200, seed: 11_002 });
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const tooLarge = await noiseJpeg(1500, 1500); // a complete JPEG over the agent's 2 MB limit
    expect(tooLarge.length).toBeGreaterThan(2_000_000);
    const small = await cameraJpeg({ width: 240, height: 180, seed: 11_004 });
    const blank = await sharp({ create: { width: 1000, height: 1000, channels: 3, background: "#222" } })
      .jpeg()
      .toBuffer();
    const files: Record<string, Buffer | string> = {
      "DSC_1001.JPG": good,
      "DSC_1002.JPG": cut,
      "notes.txt": "shot list: ceremony, rings, first dance",
      "empty.jpg": "",
      "DSC_1003.JPG": tooLarge,
      "thumb.jpg": small,
      "lens-cap.jpg": blank,
      "Thumbs.db": "junk",
      "desktop.ini": "[.ShellClassInfo]",
      ".DS_Store": "junk",
    };
    for (const [name, data] of Object.entries(files)) writeFileSync(join(inbox, name), data);

    const rejected = await waitFor(
      async () => {
        const { body } = await api<{ photos: PhotoRecord[] }>("/photos?status=rejected");
        if (body.photos.length === 4) return body.photos;
        throw new Error(
          `reported: ${body.photos.map((p) => `${p.originalName}:${p.id.slice(0, 8)}`).join(", ")}; inbox: ${readdirSync(inbox).join(", ")}`,
        );
      },
      "four refused files reported",
      { timeoutMs: 30_000 },
    );
    const reasons = Object.fromEntries(rejected.map((p) => [p.originalName, p.rejection?.reason.code]));
    expect(reasons).toEqual({
      "DSC_1002.JPG": "incomplete",
      "notes.txt": "unknown_kind",
      "empty.jpg": "empty",
      "DSC_1003.JPG": "too_large",
    });
    for (const item of rejected) {
      expect(item.rejection).toMatchObject({ agentId: "capture-pc", kept: "rejected-folder" });
      expect(item.rejection?.file.path).toBe(item.originalName);
    }
    expect(readdirSync(join(root, "rejected")).sort()).toEqual([
      "DSC_1002.JPG",
      "DSC_1003.JPG",
      "empty.jpg",
      "notes.txt",
    ]);

    const verdicts = await waitFor(
      async () => {
        const list = await Promise.all([good, small, blank].map((data) => record(sha(data))));
        return list.every(settled) && list;
      },
      "the three photos settled",
      { timeoutMs: 60_000 },
    );
    expect(verdicts.map((p) => [p?.status, p?.stages.publish.lastError?.code])).toEqual([
      ["done", undefined],
      ["failed", "too_small"],
      ["failed", "blank"],
    ]);
    await waitFor(() => readdirSync(inbox).length === 3, "only the system junk left in the inbox");
    expect(readdirSync(inbox).sort()).toEqual([".DS_Store", "Thumbs.db", "desktop.ini"]);
    // The counts read the status index, which (as in DynamoDB) catches up a moment later.
    const expected = { rejected: 4, done: 1, failed: 2, processing: 0, quarantined: 0 };
    await waitFor(async () => {
      const { counts } = (await api<{ counts: Record<string, number> }>("/status")).body;
      if (Object.entries(expected).every(([k, v]) => counts[k] === v)) return true;
      throw new Error(JSON.stringify(counts));
    }, "the counts of /status");

    // The too-large file, delivered whole another way: a normal photo, linked to its rejection.
    expect((await presignedPut(tooLarge, tooLarge, "DSC_1003.JPG")).status).toBe(200);
    const delivered = await waitFor(async () => {
      const p = await record(sha(tooLarge));
      return settled(p) && p;
    }, "the large photo converted");
    expect(delivered.rejections).toEqual([rejectionIdOfBytes(sha(tooLarge))]);
    expect(delivered.stages.convert.status).toBe("done");
  });

  it("refuses a forged upload at the stack's S3 and quarantines the one that slips through", async () => {
    const genuine = await cameraJpeg({ width: 1080, height: 1080, seed: 11_010 });
    const forged = await cameraJpeg({ width: 1080, height: 1080, seed: 11_011 });
    const refused = await presignedPut(genuine, forged, "IMG_1.JPG");
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("<Code>BadDigest</Code>");

    const key = originalKey(sha(genuine), ".jpg");
    await stack.runtime.clients.s3.send(
      new PutObjectCommand({ Bucket: stack.config.s3.bucket, Key: key, Body: forged }),
    );
    const quarantined = await waitFor(async () => {
      const { body } = await api<{ photos: PhotoRecord[] }>("/photos?status=quarantined");
      return body.photos.find((p) => p.id === quarantineRecordId(key, sha(forged)));
    }, "the forged upload quarantined");
    expect(quarantined.quarantine).toMatchObject({ claimedId: sha(genuine), actualId: sha(forged) });
    expect(await record(sha(genuine))).toBeUndefined();

    expect((await presignedPut(genuine, genuine, "IMG_1.JPG")).status).toBe(200);
    const photo = await waitFor(async () => {
      const p = await record(sha(genuine));
      return p?.status === "done" && p;
    }, "the genuine photo published");
    expect(photo.originalName).toBe("IMG_1.JPG");
    await waitFor(
      async () => (await api<{ counts: Record<string, number> }>("/status")).body.counts.quarantined === 1,
      "quarantined counted",
    );
  });

  it.skipIf(!corpus)(
    "accounts for every file of the real-world corpus dropped into the inbox",
    async () => {
      const dir = corpus ?? "";
      const files = readFileSync(join(dir, "SHA256SUMS"), "utf8")
        .split("\n")
        .map((line) => line.trim().split(/\s+/)[1]?.replace(/^\*/, "").replace(/^\.\//, ""))
        .filter((file): file is string => Boolean(file));
      expect(files.length).toBeGreaterThan(30);
      const drop = join(inbox, "corpus");
      mkdirSync(drop);
      const dropped = files.map((file) => {
        const data = readFileSync(join(dir, file));
        const name = `${file.split("/")[0]}-${basename(file)}`;
        writeFileSync(join(drop, name), data, { flag: "w" });
        return { file, id: sha(data) };
      });
      const outcome = await waitFor(
        async () => {
          const found = await Promise.all(
            dropped.map(async ({ file, id }) => ({
              file,
              photo: await record(id),
              rejection: await record(rejectionIdOfBytes(id)),
            })),
          );
          const open = found.filter((f) => !settled(f.photo) && !f.rejection);
          if (open.length === 0) return found;
          // Named in the timeout's message: what is still open, and in which state.
          throw new Error(
            open
              .map((f) => `${f.file}: ${f.photo ? JSON.stringify(f.photo.stages) : "no record"}`)
              .join("; "),
          );
        },
        "every corpus file settled",
        { timeoutMs: 240_000, intervalMs: 1000 },
      );
      for (const { file, photo, rejection } of outcome) {
        if (!photo) {
          expect(rejection?.rejection?.reason.code, file).toMatch(
            /^(incomplete|unknown_kind|empty|too_large)$/,
          );
          continue;
        }
        for (const stage of Object.values(photo.stages)) {
          if (stage.status === "failed")
            expect(stage.lastError?.code, file).not.toMatch(/^(no_image_url|unknown)$/);
        }
        if (photo.instagramRefusal)
          expect(photo.stages.publish.lastError?.code).toBe(photo.instagramRefusal.code);
      }
      const byFile = Object.fromEntries(outcome.map((o) => [o.file, o]));
      expect(byFile["orientation/Landscape_6.jpg"]?.photo?.status).toBe("done");
      expect(byFile["formats/gif_animated_rotating-squares.gif"]?.photo?.instagramRefusal?.code).toBe(
        "too_small",
      );
      expect(byFile["raw/canon-eos-6d_acr-reduced.dng"]?.photo?.width).toBe(1224);
      await waitFor(() => !existsSync(drop) || readdirSync(drop).length === 0, "the corpus folder emptied");
    },
    300_000,
  );
});
