/**
 * publish: captions from the template (file name, date, camera, the embedded caption, a sidecar
 * text, default hashtags), held to Instagram's rules: 2,200 characters, 30 hashtags, 20 mentions.
 */

import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { LocalStack } from "@photo-relay/local-stack";
import { CAPTION_LIMITS, enforceCaptionRules, renderCaption, sidecarKey } from "@photo-relay/pipeline";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack, uploadOriginal, waitForPhoto } from "./support/stack.ts";

const tags = (n: number) => Array.from({ length: n }, (_, i) => `#tag${i}`).join(" ");
const mentions = (n: number) => Array.from({ length: n }, (_, i) => `@user${i}`).join(" ");

describe("captions: template and rules", () => {
  it("fills the tokens and leaves no blank lines for empty ones", () => {
    const template = "{caption}\n\n{camera} · {date}\n\n{hashtags}";
    expect(renderCaption(template, { caption: "Dawn", camera: "NIKON D800", date: "2026-07-14" })).toBe(
      "Dawn\n\nNIKON D800 · 2026-07-14",
    );
    expect(renderCaption("{caption}\n\n{hashtags}", { hashtags: ["nikon", "#dawn"] })).toBe("#nikon #dawn");
    expect(renderCaption("{filename} {unknown}", { filename: "DSC_1.JPG" })).toBe("DSC_1.JPG {unknown}");
  });

  it("keeps a caption within the rules unchanged", () => {
    const text = `${"a".repeat(2000)} ${tags(30)} ${mentions(20)}`.slice(0, 2200);
    expect(enforceCaptionRules(text, "fail")).toEqual({ caption: text, changes: [] });
  });

  it("truncates: drops hashtags past 30, un-mentions past 20, cuts at a word to 2,200 characters", () => {
    const { caption, changes } = enforceCaptionRules(`Hello ${mentions(25)} ${tags(35)}`, "truncate");
    expect(caption.match(/#tag\d+/g)).toHaveLength(30);
    expect(caption.match(/@user\d+/g)).toHaveLength(20);
    expect(caption).toContain(" user24 ");
    expect(changes).toHaveLength(2);
    const long = enforceCaptionRules("word ".repeat(600), "truncate").caption;
    expect(long.length).toBeLessThanOrEqual(CAPTION_LIMITS.chars);
    expect(long).toMatch(/word…$/);
  });

  it("fails under the fail policy, naming the broken rule", () => {
    expect(() => enforceCaptionRules(tags(31), "fail")).toThrow(/31 hashtags \(max 30\)/);
  });
});

let stack: LocalStack;
let seed = 1;

/** A JPEG whose EXIF carries a caption (ImageDescription), camera and capture time. */
const captioned = (description: string) =>
  sharp({ create: { width: 64, height: 64, channels: 3, background: { r: seed++ * 7, g: 80, b: 120 } } })
    .jpeg()
    .withExifMerge({
      IFD0: { ImageDescription: description, Make: "NIKON CORPORATION", Model: "NIKON D800" },
      IFD2: { DateTimeOriginal: "2026:07:14 06:12:00" },
    })
    .toBuffer();

async function publishedCaption(id: string): Promise<string | undefined> {
  const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published");
  return stack.sandbox.state.media.get(done.stages.publish.mediaId as string)?.caption;
}

describe("captions: end to end", () => {
  beforeAll(async () => {
    stack = await testStack({
      settings: {
        instagram: {
          captionTemplate: "{caption}\n\n{camera} · {date} · {filename}\n\n{hashtags}",
          hashtags: ["photorelay"],
        },
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("uses the embedded (IPTC/XMP/EXIF) caption, camera, capture date, file name and hashtags", async () => {
    const id = await uploadOriginal(stack, await captioned("Sunrise over the lake"), "DSC_0001.JPG");
    const photo = await waitForPhoto(stack, id, (p) => p.status === "done", "published");
    expect(await publishedCaption(id)).toBe(
      `Sunrise over the lake\n\n${photo.camera} · 2026-07-14 · DSC_0001.JPG\n\n#photorelay`,
    );
  });

  it("prefers the sidecar text stored as sidecars/<id>.txt", async () => {
    const jpeg = await captioned("embedded caption");
    const { sha256Hex } = await import("@photo-relay/core");
    await stack.runtime.clients.s3.send(
      new PutObjectCommand({
        Bucket: stack.config.s3.bucket,
        Key: sidecarKey(sha256Hex(jpeg)),
        Body: "\uFEFFÉtang at dawn 🌅 @friend\n",
        ContentType: "text/plain; charset=utf-8",
      }),
    );
    const id = await uploadOriginal(stack, jpeg, "DSC_0002.JPG");
    expect(await publishedCaption(id)).toMatch(
      /^Étang at dawn 🌅 @friend\n\n.* · DSC_0002\.JPG\n\n#photorelay$/,
    );
  });

  it("fails the photo with caption_invalid when the policy is fail and the caption breaks a rule", async () => {
    // The policy is read per step, so switching it on this runtime's configuration is enough here.
    stack.runtime.config.instagram.captionPolicy = "fail";
    try {
      const id = await uploadOriginal(stack, await captioned(tags(31)), "DSC_0003.JPG");
      const failed = await waitForPhoto(stack, id, (p) => p.status === "failed", "failed");
      expect(failed.stages.publish.lastError?.code).toBe("caption_invalid");
      expect(failed.stages.publish.lastError?.message).toMatch(/32 hashtags \(max 30\)/); // 31 + the default one;
    } finally {
      stack.runtime.config.instagram.captionPolicy = "truncate";
    }
  });
});
