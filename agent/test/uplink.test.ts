/** The part plan follows the measured uplink (small parts on a weak link, large on a fast one) and the memory budget. */
import { describe, expect, it } from "vitest";
import { Uplink } from "../src/delivery/uplink.ts";

const MiB = 1024 * 1024;
const limits = { maxPartBytes: 64 * MiB, maxInFlight: 8, memoryBytes: 256 * MiB };

function measured(bytesPerSecond: number): Uplink {
  let now = 0;
  const uplink = new Uplink(() => now);
  for (let i = 0; i < 4; i++) {
    const start = now;
    now += 2000;
    uplink.record(bytesPerSecond * 2, start);
  }
  return uplink;
}

describe("agent: uplink and part plan", () => {
  it("uses the largest part and every slot before anything is measured", () => {
    const uplink = new Uplink();
    expect(uplink.rate()).toBeUndefined();
    expect(uplink.partSize(75e6, limits)).toBe(64 * MiB);
    expect(uplink.inFlight(64 * MiB, limits)).toBe(4); // 256 MiB of buffers / 64 MiB parts
  });

  it("sends 5 MiB parts over a 20 Mbit/s link, as many at a time as allowed (the link stays busy)", () => {
    const uplink = measured(2.5e6);
    expect(uplink.rate()).toBeCloseTo(2.5e6, -3);
    expect(uplink.partSize(75e6, limits)).toBe(5 * MiB);
    expect(uplink.inFlight(5 * MiB, limits)).toBe(4); // 256 MiB of buffers of the 64 MiB largest part
    expect(uplink.inFlight(5 * MiB, { ...limits, maxPartBytes: 8 * MiB })).toBe(8);
  });

  it("grows parts with the link, up to the configured size, and keeps many in flight on a fast link", () => {
    expect(measured(20e6).partSize(75e6, limits)).toBe(39 * MiB);
    const fast = measured(500e6);
    expect(fast.partSize(75e6, limits)).toBe(64 * MiB);
    expect(fast.inFlight(8 * MiB, { ...limits, memoryBytes: 1024 * MiB })).toBe(8);
  });

  it("never plans more than 10 000 parts, nor more buffers than the memory budget", () => {
    const uplink = measured(2.5e6);
    expect(uplink.partSize(200e9, { ...limits, maxPartBytes: 8 * MiB })).toBeGreaterThanOrEqual(
      200e9 / 10_000,
    );
    expect(
      measured(500e6).inFlight(8 * MiB, { ...limits, maxPartBytes: 8 * MiB, memoryBytes: 20 * MiB }),
    ).toBe(2);
  });
});
