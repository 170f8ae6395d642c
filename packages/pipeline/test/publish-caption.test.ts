/**
 * publish: captions from the template (file name, date, camera, the embedded caption, a sidecar
 * text, default hashtags), held to Instagram's rules (the rules themselves:
 * `packages/instagram/test/caption.test.ts`).
 */

import { PutObjectCommand } from "@aws-sdk/client-s3";
import { sha256Hex, sidecarKey } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

const tags = (n: number) => Array.from({ length: n }, (_, i) => `#tag${i}`).join(" ");

let stack: LocalStack;
let seed = 1;

/**
 * A JPEG whose EXIF carries a caption (ImageDescription), camera and capture time: 320 px of noise,
 * since Instagram's rules refuse smaller or single-colour photos before any post.
 */
const captioned = (description: string) =>
  sharp({
    create: {
      width: 320,
      height: 320,
      channels: 3,
      background: "#000000", // unused: the noise fills every pixel
      noise: { type: "gaussian", mean: 60 + seed++, sigma: 30 },
    },
  })
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
