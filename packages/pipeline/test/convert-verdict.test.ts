/**
 * Convert records imaging's verdict on the Instagram rendition: a photo the rules refuse (too
 * small, one flat colour, a bomb of zeros, a sliver) keeps its web and thumbnail renditions, its
 * publish stage fails with the rule's code and reason, Instagram is never asked, and neither a
 * retry nor "publish now" pretends otherwise. A photo that may be posted carries the capture facts
 * and frame scores a burst decision needs.
 */
import type { LocalStack } from "@photo-relay/local-stack";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";

let stack: LocalStack;
beforeAll(async () => {
  stack = await testStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function api<T>(path: string, method = "GET"): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  return { status: res.status, body: (await res.json()) as T };
}

const solid = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } });

describe("convert: Instagram's verdict on the record", () => {
  it.each([
    ["a photo narrower than 320 px", () => cameraJpeg({ width: 240, height: 180, seed: 9100 }), "too_small"],
    ["a 1x1 image", () => solid(1, 1, "#c03").png().toBuffer(), "too_small"],
    ["one flat colour", () => solid(1600, 1200, "#777777").jpeg().toBuffer(), "blank"],
    ["a bomb that decodes to zeros", () => solid(4000, 4000, "#000000").png().toBuffer(), "blank"],
    ["a sliver", () => cameraJpeg({ width: 4000, height: 300, seed: 9101 }), "extreme_aspect"],
  ])("records %s with its rule, made for the web but never asked of Instagram", async (_what, make, code) => {
    const id = await uploadOriginal(stack, await make());
    const photo = await waitForPhoto(
      stack,
      id,
      (p) => p.stages.publish.status === "failed" && p.stages.mirror.status === "done",
      `the ${code} verdict recorded and the photo mirrored`,
    );
    expect(photo.status).toBe("failed");
    expect(photo.stages.convert.status).toBe("done");
    expect(Object.keys(photo.renditions ?? {}).sort()).toEqual(["thumbnail", "web"]);
    expect(photo.instagramRefusal?.code).toBe(code);
    expect(photo.stages.publish.lastError).toMatchObject({
      code,
      message: expect.stringContaining("Instagram rendition refused: "),
    });
    expect(photo.stages.publish.attempts).toBe(0); // publish never ran

    const { body: shown } = await api<PhotoRecord>(`/photos/${id}`);
    expect(shown.journey).toContainEqual(
      expect.objectContaining({
        stage: "publish",
        status: "failed",
        error: expect.objectContaining({ code }),
      }),
    );
    const retry = await api<{ error: { code: string } }>(`/photos/${id}/retry`, "POST");
    expect(retry).toMatchObject({ status: 409, body: { error: { code: "not_retryable" } } });
    const now = await api<{ error: { code: string; message: string } }>(`/photos/${id}/publish`, "POST");
    expect(now).toMatchObject({ status: 400, body: { error: { code } } });
    const after = await stack.runtime.photos.require(id);
    expect(after.stages.publish).toEqual(photo.stages.publish); // still the rule's verdict, no vague no_image_url
  });

  it("never sends a refused photo to the Graph API, and still posts the one that may be posted", async () => {
    const containersBefore = stack.sandbox.state.containers.size;
    const refused = await uploadOriginal(stack, await cameraJpeg({ width: 200, height: 200, seed: 9102 }));
    const posted = await uploadOriginal(stack, await cameraJpeg({ width: 1080, height: 1350, seed: 9103 }));
    await waitForPhoto(stack, posted, (p) => p.status === "done", "the good photo published");
    await waitForPhoto(stack, refused, (p) => p.stages.publish.status === "failed", "the small one refused");
    expect(stack.sandbox.state.containers.size - containersBefore).toBe(1);
  });

  it("keeps the capture time to the millisecond, the camera body and the frame's analysis", async () => {
    const frame = await sharp(await cameraJpeg({ width: 1200, height: 900, seed: 9104 }))
      .withExif({
        IFD0: { Make: "NIKON CORPORATION", Model: "NIKON D800" },
        IFD2: {
          DateTimeOriginal: "2024:06:01 12:34:56",
          SubSecTimeOriginal: "370",
          OffsetTimeOriginal: "+02:00",
          BodySerialNumber: "3004567",
        },
      })
      .jpeg({ quality: 90 })
      .toBuffer();
    const id = await uploadOriginal(stack, frame);
    const photo = await waitForPhoto(stack, id, (p) => p.stages.convert.status === "done", "converted");
    expect(photo.instagramRefusal).toBeUndefined();
    expect(photo.capture).toEqual({
      iso: "2024-06-01T12:34:56.370+02:00",
      epochMs: Date.parse("2024-06-01T10:34:56.370Z"),
      hasOffset: true,
      hasSubSeconds: true,
    });
    expect(photo.device).toEqual({ make: "NIKON CORPORATION", model: "NIKON D800", serial: "3004567" });
    expect(photo.analysis).toMatchObject({
      hash: expect.stringMatching(/^[0-9a-f]{16}$/),
      hashMethod: "phash-dct64",
      score: expect.any(Number),
      sharpness: { score: expect.any(Number), normalised: expect.any(Number) },
      motion: {
        coherence: expect.any(Number),
        directionDegrees: expect.any(Number),
        penalty: expect.any(Number),
      },
      exposure: { score: expect.any(Number), highlightsClipped: expect.any(Number) },
    });
    expect(photo.analysis?.score).toBeGreaterThan(0);
  });
});
