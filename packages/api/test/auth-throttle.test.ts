/**
 * Failed authentication is rate limited per client address: past the budget a wrong token gets
 * 429 with Retry-After instead of 401, while the right token keeps working from the same address.
 */
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStack } from "../../../test/support/stack.ts";
import { AuthThrottle, AuthThrottledError } from "../src/auth-throttle.ts";

describe("api: failed-auth throttle", () => {
  it("allows the budget of failures per window, then refuses until the window ends", () => {
    let now = 0;
    const throttle = new AuthThrottle({ budget: 3, windowMs: 10_000, now: () => now });
    for (let i = 0; i < 3; i++) throttle.fail("10.0.0.1");
    now = 4000;
    expect(() => throttle.fail("10.0.0.1")).toThrow(AuthThrottledError);
    try {
      throttle.fail("10.0.0.1");
    } catch (error) {
      expect((error as AuthThrottledError).retryAfterSeconds).toBe(6);
    }
    expect(() => throttle.fail("10.0.0.2")).not.toThrow();
    now = 10_000;
    expect(() => throttle.fail("10.0.0.1")).not.toThrow();
  });

  it("forgets the oldest client first when it remembers too many", () => {
    const throttle = new AuthThrottle({ budget: 1, maxClients: 2, now: () => 0 });
    throttle.fail("a");
    throttle.fail("b");
    throttle.fail("c"); // "a" is forgotten
    expect(() => throttle.fail("a")).not.toThrow();
    expect(() => throttle.fail("c")).toThrow(AuthThrottledError);
  });
});

describe("api: failed auth over HTTP", () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await testStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("answers 401, then 429 with Retry-After, and the right token still passes", async () => {
    const get = (token?: string) =>
      fetch(`${stack.urls.api}/photos`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const res = await get(i % 2 ? "wrong-token-wrong-token" : undefined);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const refused = await get("still-wrong-token-x");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("auth_throttled");
    expect((await get(stack.apiToken)).status).toBe(200);
  });
});
