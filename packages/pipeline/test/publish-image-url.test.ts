/**
 * publish: the URL Meta downloads from — a presigned S3 URL of the Instagram rendition by default,
 * or the rendition's public URL on the mirror with `instagram.imageSource: "mirror"`.
 */

import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

const stacks: LocalStack[] = [];
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
});

async function publishedFrom(stack: LocalStack, seed: number): Promise<string | undefined> {
  const id = await uploadOriginal(stack, await cameraJpeg({ width: 320, height: 320, seed }));
  const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published");
  return stack.sandbox.state.containers.get(done.stages.publish.containerId as string)?.imageUrl;
}

describe("publish: image URL", () => {
  it("hands Meta a short-lived presigned S3 URL of the Instagram rendition by default", async () => {
    const stack = await testStack();
    stacks.push(stack);
    const url = new URL((await publishedFrom(stack, 7001)) ?? "");
    expect(`${url.protocol}//${url.host}`).toBe(stack.urls.aws);
    expect(url.pathname).toContain("/renditions/");
    expect(url.searchParams.get("X-Amz-Expires")).toBe(String(stack.config.s3.presignSeconds));
  });

  it("hands Meta the mirror's public URL when imageSource is mirror", async () => {
    const file = join(tmpdir(), `photo-relay-image-url-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ mirror: { renditions: ["web", "instagram"] }, instagram: { imageSource: "mirror" } }),
    );
    const stack = await testStack({ env: { PHOTO_RELAY_CONFIG: file } });
    stacks.push(stack);
    const url = (await publishedFrom(stack, 7002)) ?? "";
    expect(url.startsWith(stack.urls.web)).toBe(true);
    expect((await fetch(url)).headers.get("content-type")).toMatch(/jpeg/);
  });
});
