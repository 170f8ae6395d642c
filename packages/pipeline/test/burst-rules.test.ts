/** Best of the burst, the rules without storage: grouping frames, picking, policies and cameras. */
import { configSchema } from "@photo-relay/core";
import { hashDistance as imagingHashDistance } from "@photo-relay/imaging";
import { describe, expect, it } from "vitest";
import { cameraOf, policyFor } from "../src/bursts/burst-rules.ts";
import { type CameraFrame, hashDistance, pickFrames, placeFrame } from "../src/bursts/frame-grouping.ts";

const RULES = { gapMs: 1500, maxDistance: 14 };
const SCENE_A = "f0f0f0f0f0f0f0f0";
const SCENE_B = "0f0f0f0f0f0f0f0f"; // 64 bits from A
/** A with `bits` of its low bits flipped: a frame of scene A. */
const nearA = (bits: number) =>
  (BigInt(`0x${SCENE_A}`) ^ ((1n << BigInt(bits)) - 1n)).toString(16).padStart(16, "0");
const id = (n: number) => n.toString(16).padStart(64, "0");

/** Places frames one after another, as convert invocations would, naming new bursts b1, b2, … */
function placeAll(frames: { n: number; at: number; hash: string }[]): CameraFrame[] {
  const placed: CameraFrame[] = [];
  for (const f of frames)
    placed.push(placeFrame(placed, { photoId: id(f.n), at: f.at, hash: f.hash }, RULES, `b${placed.length}`));
  return placed;
}

describe("bursts: grouping", () => {
  it("groups 4 fps frames of one scene, and starts a new burst at a scene change inside the run", () => {
    const placed = placeAll([
      { n: 1, at: 0, hash: SCENE_A },
      { n: 2, at: 250, hash: nearA(3) },
      { n: 3, at: 500, hash: nearA(6) },
      { n: 4, at: 750, hash: SCENE_B }, // the photographer turned
      { n: 5, at: 1000, hash: SCENE_B },
      { n: 6, at: 1250, hash: nearA(2) }, // and back: the frame joins scene A's burst, not B's
    ]);
    expect(placed.map((f) => f.burstId)).toEqual(["b0", "b0", "b0", "b3", "b3", "b0"]);
    expect(placed.filter((f) => f.lead).map((f) => f.photoId)).toEqual([id(1), id(4)]);
  });

  it("starts a new burst after a pause longer than the gap, even of the same scene", () => {
    const placed = placeAll([
      { n: 1, at: 0, hash: SCENE_A },
      { n: 2, at: 1500, hash: SCENE_A },
      { n: 3, at: 3001, hash: SCENE_A },
    ]);
    expect(placed.map((f) => f.burstId)).toEqual(["b0", "b0", "b2"]);
  });

  it("places frames that arrive out of order in their burst, and a frame placed twice keeps its place", () => {
    const placed = placeAll([
      { n: 3, at: 500, hash: nearA(4) },
      { n: 1, at: 0, hash: SCENE_A },
      { n: 2, at: 250, hash: nearA(1) },
    ]);
    expect(new Set(placed.map((f) => f.burstId))).toEqual(new Set(["b0"]));
    const again = placeFrame(placed, { photoId: id(1), at: 0, hash: SCENE_A }, RULES, "other");
    expect(again).toEqual(placed[1]);
  });

  it("picks the highest scores; a tie goes to the earlier frame", () => {
    const members = [
      { photoId: id(1), score: 0.5, at: 0 },
      { photoId: id(2), score: 0.9, at: 250 },
      { photoId: id(3), score: 0.9, at: 100 },
      { photoId: id(4), score: 0.1, at: 50 },
    ];
    expect(pickFrames(members, 1)).toEqual([id(3)]);
    expect(pickFrames(members, 3)).toEqual([id(3), id(2), id(1)]);
  });

  it("measures hash distances exactly as imaging does", () => {
    let seed = 7;
    const digit = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return ((seed >> 8) % 16).toString(16);
    };
    const hex = () => Array.from({ length: 16 }, digit).join("");
    for (let i = 0; i < 200; i++) {
      const [a, b] = [hex(), hex()];
      expect(hashDistance(a, b)).toBe(imagingHashDistance(a, b));
    }
    expect(hashDistance("ffffffffffffffff", "0000000000000000")).toBe(64);
  });
});

describe("bursts: policies and cameras", () => {
  const settings = (bursts: object) =>
    configSchema.shape.bursts.parse(bursts) as ReturnType<typeof configSchema.shape.bursts.parse>;
  const photo = (source: string, capture?: { epochMs: number; hasOffset: boolean }) => ({
    source,
    createdAt: "2026-06-12T20:00:00.000Z",
    ...(capture && { capture: { iso: "", hasSubSeconds: true, ...capture } }),
  });

  it("takes best-of-burst for the agent and all for everyone else by default", () => {
    const defaults = settings({});
    expect(policyFor(defaults, photo("agent"))).toEqual({ policy: "best-of-burst", n: 3 });
    expect(policyFor(defaults, photo("phone"))).toEqual({ policy: "all", n: 3 });
  });

  it("takes a source's own policy, a guest link's from `guest`, and an event's over both", () => {
    const s = settings({
      sources: { agent: { policy: "best-of-burst" }, guest: { policy: "best-n", n: 2 } },
      events: [
        {
          name: "reception",
          from: "2026-06-12T19:00:00+02:00",
          until: "2026-06-12T23:00:00+02:00",
          policy: "best-n",
          n: 4,
        },
      ],
    });
    const before = Date.parse("2026-06-12T16:59:00Z"); // 18:59 in the event's zone
    const shotBefore = { epochMs: before, hasOffset: true };
    expect(policyFor(s, photo("guest:abcdefghij", shotBefore))).toEqual({ policy: "best-n", n: 2 });
    // 20:00 UTC is 22:00 in the event's zone: inside, by arrival (no capture time).
    expect(policyFor(s, photo("agent"))).toEqual({ policy: "best-n", n: 4 });
    // A true capture instant outside the event wins over the arrival inside it…
    expect(policyFor(s, photo("agent", shotBefore)).policy).toBe("best-of-burst");
    // …but a wall-clock time (no offset) is no instant: the arrival decides.
    expect(policyFor(s, photo("agent", { epochMs: before, hasOffset: false })).n).toBe(4);
  });

  it("tells cameras apart by body serial, else by model and uploader", () => {
    const d800 = { make: "NIKON CORPORATION", model: "NIKON D800" };
    expect(cameraOf({ device: { ...d800, serial: "3001234" }, source: "agent" })).toBe(
      "NIKON CORPORATION/NIKON D800#3001234",
    );
    const phone = { make: "Apple", model: "iPhone 15" };
    expect(cameraOf({ device: phone, source: "guest:a" })).not.toBe(
      cameraOf({ device: phone, source: "guest:b" }),
    );
    expect(cameraOf({ device: {}, source: "agent" })).toBeUndefined();
    expect(cameraOf({ source: "agent" })).toBeUndefined();
  });
});
