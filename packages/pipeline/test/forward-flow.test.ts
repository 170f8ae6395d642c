/**
 * A photo moves forward only: publishing from the mirror starts once mirror is done (mirror hands
 * publish its job; nothing waits in a loop), and mirror reads each rendition from S3 once,
 * whatever the number of web hosts it copies it to.
 */
import { existsSync, mkdtempSync } from "node:fs";
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

describe("the forward flow", () => {
  it("starts publishing from the mirror only once the photo is mirrored", async () => {
    const stack = await testStack({
      settings: { mirror: { renditions: ["web", "instagram"] }, instagram: { imageSource: "mirror" } },
    });
    stacks.push(stack);
    const id = await uploadOriginal(stack, await cameraJpeg({ width: 320, height: 320, seed: 7100 }));
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "published from the mirror");
    const steps = done.journey.map((e) => `${e.stage}:${e.status}`);
    const firstPublish = steps.findIndex((s) => s.startsWith("publish:"));
    expect(firstPublish).toBeGreaterThan(steps.indexOf("mirror:done"));
  });

  it("reads each rendition from S3 once for all targets", async () => {
    const roots = [mkdtempSync(join(tmpdir(), "mirror-a-")), mkdtempSync(join(tmpdir(), "mirror-b-"))];
    const stack = await testStack({
      settings: {
        mirror: {
          renditions: ["web", "thumbnail"],
          targets: roots.map((root, i) => ({ name: `host${i}`, transports: [{ type: "local", root }] })),
        },
      },
    });
    stacks.push(stack);
    const reads: string[] = [];
    stack.runtime.clients.s3.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key;
        if (context.commandName === "GetObjectCommand" && key?.startsWith("renditions/")) reads.push(key);
        return next(args);
      },
      { step: "initialize", name: "countRenditionReads" },
    );
    const id = await uploadOriginal(stack, await cameraJpeg({ width: 64, height: 64, seed: 7101 }));
    const done = await waitForPhoto(stack, id, (p) => p.stages.mirror.status === "done", "mirrored");
    const files = done.stages.mirror.files ?? [];
    expect(files.map((f) => `${f.rendition}@${f.target}`)).toEqual([
      "web@host0",
      "web@host1",
      "thumbnail@host0",
      "thumbnail@host1",
    ]);
    for (const file of files)
      expect(existsSync(join(roots[Number(file.target.slice(4))] ?? "", file.remotePath))).toBe(true);
    // Two targets, one read each (publish's presigned URL of the Instagram rendition is no read).
    for (const name of ["web.jpg", "thumbnail.webp"]) {
      expect(reads.filter((key) => key === `renditions/${id}/${name}`)).toHaveLength(1);
    }
  });
});
