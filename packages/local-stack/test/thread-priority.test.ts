/**
 * The local stack's thread priorities (thread-priority.ts): libvips' workers are lowered, while
 * libuv's pool and the thread that runs sharp keep their priority. Linux only, as the module is
 * (elsewhere it changes nothing).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { getPriority } from "node:os";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { BACKGROUND_NICE, lowerLibvipsWorkers } from "../src/thread-priority.ts";

const ownThreadId = () => Number(readlinkSync("/proc/thread-self").split("/").at(-1));
const threadsNamed = (name: string) =>
  readdirSync("/proc/self/task")
    .map(Number)
    .filter((tid) => readFileSync(`/proc/self/task/${tid}/comm`, "latin1").trim() === name);

describe("local stack: thread priority", () => {
  it("lowers libvips' workers and leaves the other threads as they were", async () => {
    await sharp({ create: { width: 2000, height: 2000, channels: 3, background: "#808080" } })
      .blur(3)
      .jpeg()
      .toBuffer();
    const workers = threadsNamed("libvips worker");
    expect(workers.length).toBeGreaterThan(0);
    const stop = lowerLibvipsWorkers();
    try {
      expect(workers.map((tid) => getPriority(tid))).toEqual(workers.map(() => BACKGROUND_NICE));
      // libuv's pool ran the sharp call (and serves DynamoDB's LevelDB in the stack): it keeps its priority.
      const pool = threadsNamed("libuv-worker");
      expect(pool.length).toBeGreaterThan(0);
      expect(pool.filter((tid) => getPriority(tid) >= BACKGROUND_NICE)).toEqual([]);
      expect(getPriority(ownThreadId())).toBeLessThan(BACKGROUND_NICE);
    } finally {
      stop();
    }
  });
});
