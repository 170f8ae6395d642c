import { describe, expect, it } from "vitest";
import { backoffDelay, isRetryable, RetryableError, retry, ValidationError } from "../src/index.ts";

describe("retry", () => {
  it("grows the delay exponentially, with jitter, up to the cap", () => {
    const low = (n: number) => backoffDelay(n, { baseMs: 100, maxMs: 1000, random: () => 0 });
    const high = (n: number) => backoffDelay(n, { baseMs: 100, maxMs: 1000, random: () => 0.999999 });
    expect([1, 2, 3, 4, 5, 6].map(low)).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map(high)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("retries retryable errors and gives up on fatal ones at once", async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          if (calls < 3) throw new RetryableError("flaky", "try again");
          return "ok";
        },
        { attempts: 5, baseMs: 1 },
      ),
    ).resolves.toBe("ok");
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new ValidationError("bad", "never works");
        },
        { attempts: 5, baseMs: 1 },
      ),
    ).rejects.toThrow("never works");
    expect(calls).toBe(1);
  });

  it("classifies network failures, throttling and 5xx as retryable", () => {
    expect(isRetryable(Object.assign(new Error("x"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("x"), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isRetryable(Object.assign(new Error("x"), { $metadata: { httpStatusCode: 403 } }))).toBe(false);
    expect(isRetryable(new TypeError("fetch failed"))).toBe(true);
    expect(isRetryable(new TypeError("x is not a function"))).toBe(false);
  });
});
