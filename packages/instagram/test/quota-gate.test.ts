/** The publishing quota gate: a photo waiting for the quota looks again by its place in line. */
import { describe, expect, it } from "vitest";
import { quotaDeferSeconds } from "../src/index.ts";

describe("publish: quota deferral", () => {
  it("has the head of the line look after half the configured delay, the ones behind later, in line order", () => {
    const instagram = { quotaDeferSeconds: 900 };
    const delays = [0, 1, 2, 10, 100].map((ahead) => quotaDeferSeconds(instagram, ahead));
    expect(delays[0]).toBe(450);
    expect(delays[1]).toBe(675);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(Math.max(...delays)).toBeLessThanOrEqual(900);
    expect(quotaDeferSeconds({ quotaDeferSeconds: 1 }, 0)).toBe(1);
  });
});
