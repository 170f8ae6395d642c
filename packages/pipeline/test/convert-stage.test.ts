/**
 * convert: the renditions are made while the photo is being recorded. A photo whose bytes are no
 * image still ends with a recorded failure and its reason, and a photo notified again after its
 * conversion keeps its record and renditions and only hands its jobs on again.
 */
import { originalKey } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { StepContext } from "../src/stage-runner.ts";
import { convertObject } from "../src/stages/convert/convert-stage.ts";

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe("convert", () => {
  it("records a JPEG cut short as failed, with the reason, though its rendering began first", async () => {
    const whole = await cameraJpeg({ width: 800, height: 600, seed: 7300 });
    const id = await uploadOriginal(stack, whole.subarray(0, whole.length / 2));
    const failed = await waitForPhoto(
      stack,
      id,
      (p) => p.stages.convert.status === "failed",
      "convert failed",
    );
    expect(failed.stages.convert.lastError?.code).toMatch(/truncated|corrupt_image/);
    expect(failed.stages.mirror.status).toBe("pending");
  });

  it("hands the jobs of a photo notified again on, keeping its record and renditions", async () => {
    const id = await uploadOriginal(stack, await cameraJpeg({ width: 800, height: 600, seed: 7301 }));
    const done = await waitForPhoto(stack, id, (p) => p.stages.convert.status === "done", "converted");
    const object = {
      bucket: stack.config.s3.bucket,
      key: originalKey(id, ".jpg"),
      size: 0,
      eventName: "Put",
    };
    const { next } = await convertObject(stack.runtime, object, new StepContext(stack.runtime.logger, id));
    expect(next.map((n) => n.queue).sort()).toEqual(["mirror", "publish"]);
    const again = await stack.runtime.photos.require(id);
    expect(again.renditions).toEqual(done.renditions);
    expect(again.journey.filter((e) => e.stage === "convert" && e.status === "done")).toHaveLength(1);
  });
});
