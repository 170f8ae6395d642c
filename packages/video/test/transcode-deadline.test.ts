import { describe, expect, it } from "vitest";
import { watchDeadline } from "../src/index.ts";

/** A clock the test moves by hand. */
const clock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe("video: the transcode's deadline watch", () => {
  it("measures over the first 2 s of media, then judges the whole Reel by that speed", () => {
    const c = clock();
    const watch = watchDeadline({ outputSeconds: 600, deadlineAt: 900_000, afterMs: 30_000, now: c.now });
    c.advance(1000);
    expect(watch.progress(1)).toBeUndefined(); // not measured yet
    expect(watch.speed()).toBeUndefined();
    c.advance(1000);
    expect(watch.progress(2)).toBeUndefined(); // 1× real time: 600 s × 1.15 + 30 s fits in 900 s
    expect(watch.speed()).toMatchObject({ speed: 1, measuredOverSeconds: 2, expectedMs: 600_000 });
  });

  it("refuses as soon as the measured speed cannot make the deadline, naming the figures", () => {
    const c = clock();
    const watch = watchDeadline({ outputSeconds: 600, deadlineAt: 900_000, afterMs: 30_000, now: c.now });
    c.advance(4000);
    expect(watch.progress(2)?.message).toBe(
      "a 600.0 s video would take about 1380 s to transcode here (measured 0.50× real time over 2.0 s), more than the 870 s this run has for it",
    );
  });

  it("keeps watching after the sample, without the first estimate's margin", () => {
    const c = clock();
    const watch = watchDeadline({ outputSeconds: 100, deadlineAt: 150_000, afterMs: 0, now: c.now });
    c.advance(2000);
    expect(watch.progress(2)).toBeUndefined(); // 100 s × 1.15 fits in 150 s
    c.advance(98_000);
    expect(watch.progress(60)).toMatchObject({ code: "over_deadline" }); // slowed down: 166 s needed
  });

  it("measures short Reels over their first quarter", () => {
    const c = clock();
    const watch = watchDeadline({ outputSeconds: 4, deadlineAt: 1000, afterMs: 0, now: c.now });
    c.advance(2000);
    expect(watch.progress(1)).toMatchObject({ code: "over_deadline" });
  });
});
