/**
 * A client hammering the API with no token, a wrong one or a forged guest token is refused at the
 * door: 401 until its budget of failures is spent, then 429, on the owner's routes and on the
 * routes open to guests alike, while the owner and a guest with the right tokens keep getting
 * 200 from the same address; what the throttle remembers stays bounded however many addresses
 * try; the pipeline goes on; and no answer or log line carries a secret.
 */
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { AuthThrottle, AuthThrottledError } from "../src/auth-throttle.ts";
import { guestLinks } from "../src/index.ts";

const logged: string[] = [];
const writes = { out: process.stdout.write, err: process.stderr.write };
let stack: LocalStack;
let guestToken: string;

beforeAll(async () => {
  // Every line the stack logs, at its most talkative, is kept to be searched for secrets.
  const keep = (chunk: unknown) => {
    logged.push(String(chunk));
    return true;
  };
  process.stdout.write = keep as typeof process.stdout.write;
  process.stderr.write = keep as typeof process.stderr.write;
  const { createLogger } = await import("@photo-relay/core");
  stack = await testStack({ logger: createLogger("it", { level: "DEBUG" }) });
  const links = guestLinks(stack.runtime);
  const link = await links.create(
    {
      label: "hammer",
      expiresAt: new Date(Date.now() + 3600_000).toISOString(),
      maxFiles: 5,
      maxBytes: 2 ** 30,
    },
    new Date(),
  );
  guestToken = `${link.linkId}.${links.secretOf(link.linkId)}`;
});
afterAll(async () => {
  await stack?.stop();
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
});

const answers: string[] = [];

async function send(path: string, token: string | undefined, method = "GET") {
  const res = await fetch(`${stack.urls.api}${path}`, {
    method,
    headers: { ...(token && { authorization: `Bearer ${token}` }), "content-type": "application/json" },
    ...(method === "POST" && { body: "{}" }),
  });
  const text = await res.text();
  answers.push(`${res.status} ${JSON.stringify([...res.headers])} ${text}`);
  return { status: res.status, retryAfter: res.headers.get("retry-after"), text };
}

describe("api: a client hammering without a valid token", () => {
  it("gets 401s, then 429s, while the owner and a guest keep getting 200", async () => {
    const wrong = [
      undefined,
      "not-the-token-at-all",
      "abcdefghij.forged-guest-secret-xxxxxxxxxxxxxxxxxxxxxxxxx",
    ];
    const routes: Array<[string, string]> = [
      ["/status", "GET"],
      ["/photos", "GET"],
      ["/upload-sessions", "POST"],
      ["/guest/link", "GET"],
      ["/no-such-route", "GET"],
    ];
    const hammered: number[] = [];
    const hammer = (async () => {
      for (let i = 0; i < 60; i++) {
        const [path, method] = routes[i % routes.length] as [string, string];
        const { status, retryAfter } = await send(path, wrong[i % wrong.length], method);
        hammered.push(status);
        if (status === 429) expect(Number(retryAfter)).toBeGreaterThan(0);
      }
    })();
    const good: number[] = [];
    const owner = (async () => {
      for (let i = 0; i < 20; i++) {
        good.push((await send(i % 2 ? "/photos" : "/status", stack.apiToken)).status);
        good.push((await send("/guest/link", guestToken)).status);
      }
    })();
    // The pipeline goes on meanwhile: a photo arrives, is converted, mirrored and published.
    const photo = (async () => {
      const id = await uploadOriginal(stack, await cameraJpeg({ width: 1200, height: 800, seed: 14 }));
      return (await waitForPhoto(stack, id, (p) => p.status === "done", "the photo published")).status;
    })();
    await Promise.all([hammer, owner]);
    expect(await photo).toBe("done");
    expect(hammered.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(hammered.slice(20)).toEqual(Array(40).fill(429));
    expect(good).toEqual(Array(40).fill(200));
    // Still throttled, the address's right tokens pass.
    expect((await send("/upload-sessions", "still-wrong", "POST")).status).toBe(429);
    expect((await send("/status", stack.apiToken)).status).toBe(200);
    expect((await send("/uploads/rules", guestToken)).status).toBe(200);
  });

  it("puts no secret in any answer or log line", () => {
    const secrets = [stack.apiToken, stack.config.instagram.accessToken, guestToken.split(".")[1] as string];
    expect(answers.length).toBeGreaterThan(100);
    expect(logged.length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(8);
      expect(answers.filter((a) => a.includes(secret))).toEqual([]);
      expect(logged.filter((line) => line.includes(secret))).toEqual([]);
    }
  });

  it("remembers a bounded number of addresses, however many try", () => {
    const throttle = new AuthThrottle({ budget: 2, maxClients: 1000, now: () => 0 });
    for (let i = 0; i < 50_000; i++) throttle.fail(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
    expect(throttle.size).toBe(1000);
    const last = "10.0.195.79"; // the 49,999th: still remembered, and still counted
    throttle.fail(last);
    expect(() => throttle.fail(last)).toThrow(AuthThrottledError);
  });
});
