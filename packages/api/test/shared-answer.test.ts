/**
 * `/status`'s shared computation: concurrent callers share one, an answer is never older than its
 * bound, a busy refresh keeps serving the last answer, and a failure is not kept.
 */
import { describe, expect, it } from "vitest";
import { jsonOf, SharedAnswer } from "../src/shared-answer.ts";

function counter() {
  const pending: Array<(n: number) => void> = [];
  let started = 0;
  return {
    compute: () =>
      new Promise<number>((resolve) => {
        started++;
        pending.push(resolve);
      }),
    finish: (n: number) => pending.shift()?.(n),
    started: () => started,
  };
}

describe("api: shared answer", () => {
  it("gives concurrent callers one computation", async () => {
    const c = counter();
    const shared = new SharedAnswer(c.compute, { maxAgeMs: 1000, now: () => 0 });
    const answers = Promise.all([shared.get(), shared.get(), shared.get()]);
    c.finish(7);
    expect((await answers).map((a) => a.value)).toEqual([7, 7, 7]);
    expect(c.started()).toBe(1);
  });

  it("serves the last answer while a refresh runs, and waits once it is older than its bound", async () => {
    let now = 0;
    const c = counter();
    const shared = new SharedAnswer(c.compute, { maxAgeMs: 1000, refreshAfterMs: 200, now: () => now });
    const first = shared.get();
    c.finish(1);
    expect(await first).toEqual({ value: 1, at: 0 });
    now = 500; // past the refresh point: the old answer now, a refresh behind it
    expect(await shared.get()).toEqual({ value: 1, at: 0 });
    expect(c.started()).toBe(2);
    now = 1200; // past the bound: the refresh that began at 500 is recent enough to wait for
    const joined = shared.get();
    c.finish(2);
    expect(await joined).toEqual({ value: 2, at: 500 });
    now = 1600; // that answer is past its bound now: a fresh computation, waited for
    const fresh = shared.get();
    expect(c.started()).toBe(3);
    c.finish(3);
    expect(await fresh).toEqual({ value: 3, at: 1600 });
  });

  it("computes for each caller with no age allowed", async () => {
    const c = counter();
    const shared = new SharedAnswer(c.compute, { maxAgeMs: 0, now: () => 0 });
    const a = shared.get();
    const b = shared.get();
    c.finish(1);
    c.finish(2);
    expect([(await a).value, (await b).value]).toEqual([1, 2]);
  });

  it("forgets a failed computation", async () => {
    let fail = true;
    const shared = new SharedAnswer(async () => (fail ? Promise.reject(new Error("down")) : 5), {
      maxAgeMs: 1000,
      now: () => 0,
    });
    await expect(shared.get()).rejects.toThrow("down");
    fail = false;
    expect((await shared.get()).value).toBe(5);
  });

  it("writes an answer's JSON once for all its callers, and a fresh answer's anew", async () => {
    let now = 0;
    let n = 0;
    const shared = new SharedAnswer(async () => ++n, {
      maxAgeMs: 1000,
      refreshAfterMs: 1000,
      now: () => now,
    });
    let written = 0;
    const text = async () => {
      const answer = await shared.get();
      return jsonOf(answer, () => {
        written++;
        return { at: answer.at, n: answer.value };
      });
    };
    expect([await text(), await text(), await text()]).toEqual(Array(3).fill('{"at":0,"n":1}'));
    expect(written).toBe(1);
    now = 2000;
    expect(await text()).toBe('{"at":2000,"n":2}');
    expect(written).toBe(2);
  });
});
