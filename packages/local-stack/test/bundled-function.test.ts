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
  return { calls, threadId: (await import("node:worker_threads")).threadId };
};\n`,
);
const fn = startBundledFunction("photo-relay-test", bundle, {});
const context = { getRemainingTimeInMillis: () => 30_000 };
afterAll(() => fn.stop());

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
});
