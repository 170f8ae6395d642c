/**
 * A bundled function whose container dies mid-invocation (a crashed runtime, or the soak's crash
 * fault): the invocation fails with FunctionCrashedError at once, and the next one gets a fresh
 * container, as Lambda starts a new one — instead of every later invocation waiting on a dead worker.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FunctionCrashedError, startBundledFunction } from "../src/bundled-function.ts";

const dir = mkdtempSync(join(tmpdir(), "bundled-fn-"));
const bundle = join(dir, "bundle.mjs");
writeFileSync(
  bundle,
  `let calls = 0;
export const handler = async (event) => {
  calls++;
  if (event.wait) await new Promise((r) => setTimeout(r, event.wait));
  if (event.exit) process.exit(3);
  const threadId = (await import("node:worker_threads")).threadId;
  const priority = (await import("node:os")).getPriority();
  if (event.rawPath) return { statusCode: 200, body: JSON.stringify({ calls, threadId, path: event.rawPath }) };
  return { calls, threadId, priority };
};\n`,
);
const fn = startBundledFunction("photo-relay-test", bundle, {});
const context = { getRemainingTimeInMillis: () => 30_000 };
const served = startBundledFunction(
  "photo-relay-api",
  bundle,
  {},
  {
    http: { host: "127.0.0.1", port: 0, timeoutMs: 29_000 },
  },
);
const background = startBundledFunction("photo-relay-bg", bundle, {}, { nice: 10 });
afterAll(() => Promise.all([fn.stop(), served.stop(), background.stop()]));

describe("local stack: a bundled function's container", () => {
  it("fails the running invocation when the container is ended, and starts a new one for the next", async () => {
    const first = (await fn.invoke({}, context)) as { calls: number; threadId: number };
    expect(first.calls).toBe(1);
    const running = fn.invoke({ wait: 10_000 }, context);
    await new Promise((r) => setTimeout(r, 200));
    await fn.crash();
    await expect(running).rejects.toBeInstanceOf(FunctionCrashedError);
    const next = (await fn.invoke({}, context)) as { calls: number; threadId: number };
    expect(next.calls).toBe(1); // a fresh module: a new container
    expect(next.threadId).not.toBe(first.threadId);
  });

  it("does the same when the handler's own process exits", async () => {
    await expect(fn.invoke({ exit: true }, context)).rejects.toThrow(/runtime exited \(code 3\)/);
    expect(((await fn.invoke({}, context)) as { calls: number }).calls).toBe(1);
  });

  it("serves the handler as API Gateway does, from its own thread, and on the same port after a crash", async () => {
    const url = await served.listening();
    const get = async () => (await (await fetch(`${url}/status?x=1`)).json()) as Record<string, unknown>;
    const first = await get();
    expect(first).toMatchObject({ calls: 1, path: "/status" });
    expect(first.threadId).toBeGreaterThan(0); // not the main thread: a request never waits for it
    await served.crash();
    expect(await served.listening()).toBe(url);
    expect(await get()).toMatchObject({ calls: 1, path: "/status" }); // a fresh container
  });

  it.runIf(process.platform === "linux")("runs its container's thread at the priority asked", async () => {
    expect(await background.invoke({}, context)).toMatchObject({ priority: 10 });
    expect(await fn.invoke({}, context)).toMatchObject({ priority: 0 });
  });
});
