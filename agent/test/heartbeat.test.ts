/** The heartbeat: `heartbeatKey(agentId)` per `heartbeatSchema`, every interval while S3 answers. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createLogger, type Heartbeat, heartbeatKey, heartbeatSchema } from "@photo-relay/core";
import { describe, expect, it } from "vitest";
import { defaultAgentId, startAgent } from "../src/index.ts";
import { until, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg } from "./helpers/media.ts";
import { useS3BehindProxy } from "./helpers/proxied-s3.ts";
import { BUCKET, s3Client } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const servers = useS3BehindProxy();

async function heartbeat(id: string): Promise<Heartbeat | undefined> {
  try {
    const object = await servers.s3.client.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: heartbeatKey(id) }),
    );
    return heartbeatSchema.parse(JSON.parse((await object.Body?.transformToString()) ?? ""));
  } catch {
    return undefined;
  }
}

describe("agent: heartbeat", () => {
  it("writes its heartbeat every interval with the spool, the last file and the counters", async () => {
    const ws = await workspace("agent-heartbeat");
    const agent = startAgent({
      inbox: [ws.inbox],
      spoolDir: ws.spoolDir,
      s3: { client: servers.s3.client, bucket: BUCKET },
      agentId: "studio-pc",
      heartbeatIntervalMs: 200,
      logger,
    });
    await agent.ready;
    await until(async () => (await heartbeat("studio-pc")) !== undefined, 10_000, "first heartbeat");
    expect(await heartbeat("studio-pc")).toMatchObject({
      agentId: "studio-pc",
      online: true,
      intervalSeconds: 1,
      spool: { files: 0, bytes: 0 },
      counters: { delivered: 0, rejected: 0, failed: 0 },
    });
    const delivered = waitForEvents(agent, "delivered", 1);
    await writeFile(join(ws.inbox, "DSC_0007.JPG"), jpeg(40_000));
    const [event] = await delivered;
    await until(
      async () => (await heartbeat("studio-pc"))?.counters.delivered === 1,
      10_000,
      "a newer heartbeat",
    );
    expect((await heartbeat("studio-pc"))?.lastFile).toMatchObject({
      name: "DSC_0007.JPG",
      photoId: event?.sha256,
    });
    await agent.stop();
    await ws.remove();
  });

  it("writes none while offline, and again once S3 answers", async () => {
    servers.proxy.setMode("pass");
    const ws = await workspace("agent-heartbeat");
    const client = s3Client(servers.proxy.endpoint);
    const agent = startAgent({
      inbox: [ws.inbox],
      spoolDir: ws.spoolDir,
      s3: { client, bucket: BUCKET },
      agentId: "field-pc",
      heartbeatIntervalMs: 150,
      requestTimeoutMs: 1500,
      backoff: { baseMs: 100, maxMs: 300 },
      logger,
    });
    await agent.ready;
    await until(async () => (await heartbeat("field-pc")) !== undefined, 10_000, "first heartbeat");
    servers.proxy.setMode("refuse");
    await until(() => !agent.status().online, 10_000, "offline");
    const last = (await heartbeat("field-pc"))?.at;
    await new Promise((r) => setTimeout(r, 600)); // four intervals offline: the outage is the subject
    expect((await heartbeat("field-pc"))?.at).toBe(last);
    servers.proxy.setMode("pass");
    await until(async () => (await heartbeat("field-pc"))?.at !== last, 10_000, "heartbeat after the outage");
    await agent.stop();
    client.destroy();
    await ws.remove();
  });

  it("defaults its id to the host name, made safe for an S3 key", () => {
    expect(defaultAgentId("Studio PC (Nikon)")).toBe("Studio-PC-Nikon-");
    expect(defaultAgentId("...")).toBe("agent");
  });
});
