/**
 * Readiness without a fixed wait: a file renamed into the inbox whole goes up after the short
 * settle; a file whose writer still has it open waits for the close (Linux, where inotify tells),
 * even when its bytes already look complete; a file cut short never goes up.
 */
import { open, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { startAgent } from "../src/index.ts";
import { collect, until, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg } from "./helpers/media.ts";
import { BUCKET, listOriginals, useS3 } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const servers = useS3();

const startIn = (ws: { inbox: string; spoolDir: string }) =>
  startAgent({
    inbox: [ws.inbox],
    spoolDir: ws.spoolDir,
    s3: { client: servers.s3.client, bucket: BUCKET },
    graceMs: 3000,
    logger,
  });

describe("agent: readiness", () => {
  it("takes a file renamed into the inbox whole with the default settle", async () => {
    const ws = await workspace("agent-ready");
    const agent = startIn(ws);
    await agent.ready;
    const delivered = waitForEvents(agent, "delivered", 1, 10_000);
    await writeFile(join(ws.root, "DSC_0100.JPG"), jpeg(500_000));
    await rename(join(ws.root, "DSC_0100.JPG"), join(ws.inbox, "DSC_0100.JPG"));
    const [event] = await delivered;
    expect(event?.path).toBe(join(ws.inbox, "DSC_0100.JPG"));
    await agent.stop();
    await ws.remove();
  });

  it.runIf(process.platform === "linux")(
    "waits for the writer's close even when the bytes already look complete",
    async () => {
      const ws = await workspace("agent-ready");
      const agent = startIn(ws);
      const delivered = collect(agent, "delivered");
      await agent.ready;
      const handle = await open(join(ws.inbox, "held-open.jpg"), "w");
      await handle.write(jpeg(300_000));
      await handle.datasync();
      // Held open well past the settle (100 ms) and the scan: a writer that is not done yet.
      await new Promise((r) => setTimeout(r, 1200)); // the writer's pace, not a synchronisation
      expect(delivered).toEqual([]);
      const closedAt = Date.now();
      await handle.close();
      await until(() => delivered.length === 1, 10_000, "delivered after the close");
      expect((await listOriginals(servers.s3.client)).size).toBeGreaterThanOrEqual(1);
      expect(closedAt).toBeLessThanOrEqual(Date.now());
      await agent.stop();
      await ws.remove();
    },
  );

  it("never takes a JPEG cut short, and reports it once its grace time is over", async () => {
    const ws = await workspace("agent-ready");
    const agent = startIn(ws);
    const delivered = collect(agent, "delivered");
    await agent.ready;
    const ignored = waitForEvents(agent, "ignored", 1, 15_000);
    await writeFile(join(ws.inbox, "cut.jpg"), jpeg(200_000).subarray(0, 150_000));
    const [event] = await ignored;
    expect(event).toMatchObject({ code: "incomplete" });
    expect(event?.reason).toMatch(/no JPEG end marker/);
    expect(delivered).toEqual([]);
    await agent.stop();
    await ws.remove();
  });
});
