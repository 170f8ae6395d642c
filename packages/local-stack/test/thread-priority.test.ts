/**
 * The local stack's thread priorities (thread-priority.ts): a background thread lowers itself and
 * nothing else, and libvips' workers are lowered while the thread that runs sharp keeps its
 * priority. Linux only, as the module is (elsewhere it changes nothing).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { getPriority } from "node:os";
import { Worker } from "node:worker_threads";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { BACKGROUND_NICE, lowerLibvipsWorkers } from "../src/thread-priority.ts";

const ownThreadId = () => Number(readlinkSync("/proc/thread-self").split("/").at(-1));
const threadsNamed = (name: string) =>
  readdirSync("/proc/self/task")
    .map(Number)
    .filter((tid) => readFileSync(`/proc/self/task/${tid}/comm`, "latin1").trim() === name);

describe("local stack: thread priority", () => {
  it("lowers the thread that asks, not the thread that started it", async () => {
    const moduleUrl = new URL("../src/thread-priority.ts", import.meta.url).href;
    const worker = new Worker(
      `import(${JSON.stringify(moduleUrl)}).then((m) => {
        m.lowerThisThread();
        const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").at(-1));
        require("node:worker_threads").parentPort.postMessage(tid);
      });`,
      { eval: true },
    );
    const tid = await new Promise<number>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    try {
      expect(getPriority(tid)).toBe(BACKGROUND_NICE);
      expect(getPriority(ownThreadId())).toBeLessThan(BACKGROUND_NICE);
    } finally {
      await worker.terminate();
    }
  });

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
