/**
 * Network failures: S3 unreachable (black-holed, then refusing) in the middle of a burst. Nothing is
 * lost, the status says offline with the waiting count, the spool keeps filling, and it drains after.
 * The outage lasts AGENT_OUTAGE_MS (default 4000; the full variant is 60000).
 */
import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { type Agent, type AgentStatus, startAgent } from "../src/index.ts";
import { collect, until, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg, nef } from "./helpers/media.ts";
import { useS3BehindProxy } from "./helpers/proxied-s3.ts";
import { BUCKET, listOriginals, s3Client } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const MiB = 1024 * 1024;
const OUTAGE_MS = Number(process.env.AGENT_OUTAGE_MS ?? 4000);
const logger = createLogger("agent-test", { level: "SILENT" });

const servers = useS3BehindProxy();

async function startBehindProxy(): Promise<{ agent: Agent; inbox: string }> {
  const { root, inbox } = await workspace("agent-offline");
  const client = s3Client(servers.proxy.endpoint);
  const agent = startAgent({
    inbox: [inbox],
    spoolDir: join(root, "spool"),
    s3: { client, bucket: BUCKET },
    partSizeBytes: 5 * MiB,
    stableMs: 100,
    scanIntervalMs: 500,
    requestTimeoutMs: 1500, // notice a black hole quickly
    backoff: { baseMs: 100, maxMs: 1000 },
    logger,
  });
  await agent.ready;
  return { agent, inbox };
}

describe("agent: offline", () => {
  it(
    `spools through a ${OUTAGE_MS} ms outage in the middle of a burst and drains afterwards`,
    async () => {
      servers.proxy.setMode("pass");
      const { agent, inbox } = await startBehindProxy();
      const offline = collect(agent, "offline");
      const all = waitForEvents(agent, "delivered", 20, 60_000 + 2 * OUTAGE_MS);
      const firstFive = waitForEvents(agent, "delivered", 5);
      for (let i = 0; i < 5; i++) await writeFile(join(inbox, `a${i}.jpg`), jpeg(1 * MiB));
      await firstFive;

      servers.proxy.setMode("blackhole");
      for (let i = 0; i < 15; i++) {
        await writeFile(join(inbox, `b${i}.${i % 3 ? "jpg" : "nef"}`), i % 3 ? jpeg(1 * MiB) : nef(6 * MiB));
      }
      await until(() => !agent.status().online, 20_000, "offline");
      await until(() => agent.status().waiting.files === 15, 20_000, "15 files waiting in the spool");
      const during: AgentStatus = agent.status();
      expect(during).toMatchObject({ online: false, waiting: { files: 15 }, delivered: 5, failed: 0 });
      expect(during.waiting.bytes).toBe(10 * MiB + 5 * 6 * MiB);
      // Half the outage black-holed, half refused (the other way a link fails).
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 2)); // the outage itself is what is being simulated
      servers.proxy.setMode("refuse");
      await new Promise((r) => setTimeout(r, OUTAGE_MS / 2));
      expect(agent.status().online).toBe(false);

      const back = waitForEvents(agent, "online", 1, 10_000);
      servers.proxy.setMode("pass");
      await back;
      await all;
      expect(offline.length).toBeGreaterThanOrEqual(1);
      expect(agent.status()).toMatchObject({
        online: true,
        waiting: { files: 0, bytes: 0 },
        delivered: 20,
        failed: 0,
      });
      expect(await readdir(inbox)).toEqual([]);
      const keys = await listOriginals(servers.s3.client);
      expect(keys.size).toBe(20);
      await agent.stop();
    },
    120_000 + 3 * OUTAGE_MS,
  );

  it("survives connections dropped in the middle of parts", async () => {
    servers.proxy.setMode("pass");
    const { agent, inbox } = await startBehindProxy();
    const delivered = waitForEvents(agent, "delivered", 3, 60_000);
    for (let i = 0; i < 3; i++) await writeFile(join(inbox, `flaky${i}.nef`), nef(16 * MiB));
    // Cut every open connection a few times while the parts are on the wire.
    for (let cut = 0; cut < 4; cut++) {
      await until(
        () => servers.proxy.connections > 0 && agent.status().inFlight.length > 0,
        20_000,
        "traffic",
      );
      servers.proxy.dropAll();
    }
    const events = await delivered;
    expect(new Set(events.map((e) => e.key)).size).toBe(3);
    expect(agent.status()).toMatchObject({ waiting: { files: 0 }, failed: 0 });
    await agent.stop();
  });
});
