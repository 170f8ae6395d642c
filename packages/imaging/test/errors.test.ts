import { describeError, isRetryable, ValidationError } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { ImagingError, ImagingResourceError } from "../src/index.ts";
import { sharpFailure } from "../src/sharp-failure.ts";

const png = { format: "png", kind: "image", mimeType: "image/png" } as const;
const jpeg = { format: "jpeg", kind: "image", mimeType: "image/jpeg" } as const;
const withEnd = Buffer.from("\x89PNG....IEND\xaeB`\x82", "latin1");
const withoutEnd = Buffer.from("\x89PNG....IDAT", "latin1");

describe("imaging: error classification", () => {
  it("makes file problems fatal ValidationErrors with a stable code", () => {
    const error = new ImagingError("truncated", "cut short");
    expect(error).toBeInstanceOf(ValidationError);
    expect(isRetryable(error)).toBe(false);
    expect(describeError(error)).toEqual({ code: "truncated", message: "cut short" });
    expect(error.name).toBe("ImagingError");
  });

  it("reads libvips's wording into named reasons", () => {
    const cases: [string, Buffer, typeof png | typeof jpeg, string][] = [
      ["VipsJpeg: premature end of JPEG image", Buffer.alloc(0), jpeg, "truncated"],
      ["Input image exceeds pixel limit", Buffer.alloc(0), jpeg, "too_many_pixels"],
      ["vipspng: libpng read error", withoutEnd, png, "truncated"],
      ["vipspng: libpng read error", withEnd, png, "corrupt_image"],
      ["Input buffer has corrupt header: ", withEnd, png, "corrupt_image"],
      ["timeout: 42% complete", Buffer.alloc(0), jpeg, "timeout"],
    ];
    for (const [message, input, format, code] of cases) {
      const error = sharpFailure(new Error(message), input, format);
      expect(error, message).toBeInstanceOf(ImagingError);
      expect(error, message).toMatchObject({ code, retryable: false });
    }
  });

  it("lets a retry happen only when the process, not the file, ran out of resources", () => {
    const error = sharpFailure(new Error("vips_malloc: out of memory"), Buffer.alloc(0), jpeg);
    expect(error).toBeInstanceOf(ImagingResourceError);
    expect(isRetryable(error)).toBe(true);
  });
});
