/** The publishing quota gate: when the rolling quota is spent, a photo comes back later, spread out. */
import { describe, expect, it } from "vitest";
import { quotaDeferSeconds } from "../src/index.ts";

describe("publish: quota deferral", () => {
  it("comes back at a random point between half the configured delay and all of it", () => {
    const instagram = { quotaDeferSeconds: 900 };
    expect(quotaDeferSeconds(instagram, () => 0)).toBe(450);
    expect(quotaDeferSeconds(instagram, () => 0.999)).toBe(900);
    expect(quotaDeferSeconds({ ...instagram, quotaDeferSeconds: 1 }, () => 0)).toBe(1);
  });
});
