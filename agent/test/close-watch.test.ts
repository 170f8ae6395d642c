/**
 * The inotify close watch (Linux): it sees a writer's close, and closing it ends its wait
 * even when a scan that outlived the agent's stop asks it to watch a folder again (that re-armed
 * watch used to keep the read, and so `agent.stop()`, waiting for good: agent/test/slow-writers
 * hung at 60 s under load).
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type CloseWatchEvents, startCloseWatch } from "../src/intake/close-watch.ts";
import { workspace } from "./helpers/workspace.ts";

function events(): CloseWatchEvents & { closedPaths: Promise<string> } {
  let seen: (path: string) => void = () => undefined;
  const closedPaths = new Promise<string>((resolve) => {
    seen = resolve;
  });
  return {
    writing: () => undefined,
    closed: (p) => seen(p),
    folder: () => undefined,
    overflow: () => undefined,
    closedPaths,
  };
}

describe.runIf(process.platform === "linux")("close watch", () => {
  it("closes even when a folder is added after close(), and a new watch works after it", async () => {
    const { inbox, remove } = await workspace("close-watch");
    const first = await startCloseWatch([inbox], events());
    expect(first).toBeDefined();
    const closing = first?.close();
    first?.add(inbox); // a scan still running when the agent stopped
    await closing;

    const watching = events();
    const second = await startCloseWatch([inbox], watching);
    await writeFile(join(inbox, "a.jpg"), "bytes");
    expect(await watching.closedPaths).toBe(join(inbox, "a.jpg"));
    await second?.close();
    await remove();
  });
});
