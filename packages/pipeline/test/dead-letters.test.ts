/**
 * Dead letters on the local stack, end to end: a photo whose web host stays down gives up at the
 * mirror queue's last receive, its message moves to the dead-letter queue, the subscriber marks
 * the stage (record, journey, `/status`) and alerts once by SNS and once by webhook — no secret in
 * either — and `POST /photos/:id/retry` re-drives the photo once the host is back.
 */
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "@photo-relay/core";
import type { LocalStack } from "@photo-relay/local-stack";
import {
  createDeadLetterRuntime,
  handleDeadLetter,
  readDeadLetter,
} from "@photo-relay/pipeline/dead-letters";
import { newPhoto, type PhotoRecord } from "@photo-relay/pipeline/photo";
import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";

const FTP_PASSWORD = "sentinel-ftp-password-4e1f";
const HOOK_TOKEN = "sentinel-hook-token-93ab";

let stack: LocalStack;
const posts: { body: string; contentType: string | undefined }[] = [];
const hook = createServer((req: IncomingMessage, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    posts.push({ body, contentType: req.headers["content-type"] });
    res.writeHead(204).end();
  });
});

/** A port nothing listens on: the web host is down. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  await new Promise<void>((resolve) => hook.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/${HOOK_TOKEN}`;
  const down = {
    type: "ftps",
    host: "127.0.0.1",
    port: await closedPort(),
    user: "web",
    password: FTP_PASSWORD,
  };
  stack = await testStack({
    settings: {
      mirror: { targets: [{ name: "web", transports: [down] }] },
      alerts: { webhookUrl: hookUrl },
      redelivery: { baseSeconds: 1, maxSeconds: 1 },
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => hook.close(resolve));
});

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.urls.api}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${stack.apiToken}` },
  });
  return { status: res.status, body: (await res.json()) as T };
}

describe("dead letters", () => {
  let id: string;

  it("marks the stage whose message gave up as dead-lettered, on the record, its journey and /status", async () => {
    id = await uploadOriginal(
      stack,
      await cameraJpeg({ width: 320, height: 240, seed: 7100 }),
      "DSC_7100.JPG",
    );
    const photo = await waitForPhoto(
      stack,
      id,
      (p) => p.stages.mirror.deadLettered === true,
      "the mirror stage dead-lettered",
      60_000,
    );
    // The runner gave up at the queue's last receive; the queue moved the message on.
    await stack.fauxqs.spy.waitForMessage(
      (m) => m.service === "sqs" && m.queueName === "photo-relay-mirror" && m.body.includes(id),
      "dlq",
      5_000,
    );
    expect(photo.status).toBe("failed");
    expect(photo.stages.mirror).toMatchObject({
      status: "failed",
      deadLettered: true,
      lastError: {
        code: "gave_up",
        message: expect.stringMatching(/^gave up after 8 attempts: .*ftps: connect_failed/),
      },
    });
    expect(photo.journey.filter((e) => e.deadLettered)).toEqual([
      expect.objectContaining({
        stage: "mirror",
        status: "failed",
        error: expect.objectContaining({ code: "gave_up" }),
      }),
    ]);
    const { body: shown } = await api<PhotoRecord>(`/photos/${id}`);
    expect(shown.stages.mirror.deadLettered).toBe(true);
    const { body: status } = await api<{ deadLettered: number; counts: { failed: number } }>("/status");
    expect(status).toMatchObject({ deadLettered: 1, counts: { failed: 1 } });
  });

  it("alerts once by webhook and once by SNS, saying what gave up and how to retry, without a secret", async () => {
    await waitFor(() => posts.length > 0, "the webhook's POST");
    const alerts = await stack.fauxqs.spy.waitForMessages(
      { service: "sns", topicName: "photo-relay-alerts" },
      { count: 1, status: "published", timeout: 5_000 },
    );
    expect(posts).toHaveLength(1);
    expect(alerts).toHaveLength(1);
    const post = posts[0] as (typeof posts)[number];
    expect(post.contentType).toBe("application/json");
    expect(JSON.parse(post.body)).toMatchObject({
      event: "dead_letter",
      stage: "mirror",
      photoId: id,
      originalName: "DSC_7100.JPG",
      error: { code: "gave_up" },
      retry: `POST /photos/${id}/retry`,
      text: expect.stringContaining(
        `mirror gave up for photo ${id} (DSC_7100.JPG): gave up after 8 attempts`,
      ),
    });
    const sent = [post.body, JSON.stringify(alerts)].join("\n");
    for (const secret of [
      FTP_PASSWORD,
      HOOK_TOKEN,
      stack.apiToken,
      stack.config.instagram.accessToken ?? "?",
    ])
      expect(sent).not.toContain(secret);
  });

  it("re-drives the photo with POST /photos/:id/retry once the web host is back", async () => {
    stack.runtime.config.mirror.targets = [
      {
        name: "web",
        transports: [{ type: "local", root: mkdtempSync(join(tmpdir(), "web-host-")) }],
        pathTemplate: "{yyyy}/{mm}/",
      },
    ];
    const { status } = await api(`/photos/${id}/retry`, { method: "POST" });
    expect(status).toBe(202);
    const done = await waitForPhoto(
      stack,
      id,
      (p) => p.status === "done",
      "mirrored and published after the retry",
    );
    expect(done.stages.mirror).not.toHaveProperty("deadLettered");
    expect(done.journey.map((e) => `${e.stage}:${e.status}`).slice(-3)).toEqual(
      expect.arrayContaining(["mirror:pending", "mirror:done"]),
    );
    const { body } = await api<{ deadLettered: number }>("/status");
    expect(body.deadLettered).toBe(0);
    expect(posts).toHaveLength(1);
  });
});

describe("dead letters: alerts that fail", () => {
  it("keeps the marking when the webhook answers 500 and SNS refuses, and tells nobody twice", async () => {
    let calls = 0;
    const failing = createServer((_req, res) => {
      calls++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => failing.listen(0, "127.0.0.1", resolve));
    const rt = createDeadLetterRuntime(
      {
        ...stack.config,
        alerts: {
          ...stack.config.alerts,
          topicArn: "arn:aws:sns:us-east-1:000000000000:no-such-topic",
          webhookUrl: `http://127.0.0.1:${(failing.address() as AddressInfo).port}/hook`,
        },
      },
      {
        credentials: { accessKeyId: "local", secretAccessKey: "local" },
        logger: createLogger("t", { level: "SILENT" }),
      },
    );
    const photoId = "ab".repeat(32);
    await rt.photos.ensure(
      newPhoto({ id: photoId, originalKey: `originals/${photoId}.jpg`, bytes: 1 }, new Date()),
    );
    const record = {
      messageId: "m-1",
      body: JSON.stringify({ photoId, step: "check", checks: 3 }),
      attributes: { ApproximateReceiveCount: "11" },
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${stack.config.sqs.publishDlqUrl?.split("/").at(-1)}`,
    } as SQSRecord;
    try {
      await handleDeadLetter(rt, record); // does not throw: the message is done with
      expect(calls).toBe(2); // the webhook was tried twice
      expect((await rt.photos.require(photoId)).stages.publish).toMatchObject({
        status: "failed",
        deadLettered: true,
        lastError: { code: "dead_lettered" },
      });
      await handleDeadLetter(rt, record);
      expect(calls).toBe(2);
    } finally {
      rt.close();
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});

describe("dead letters: the reel queue", () => {
  it("names the photo's convert stage for a reel job that gave up: a video is converted once its Reel is made", () => {
    const photoId = "cd".repeat(32);
    const queue = stack.config.sqs.reelDlqUrl.split("/").at(-1);
    const record = {
      messageId: "m-2",
      body: JSON.stringify({ photoId }),
      attributes: { ApproximateReceiveCount: "3" },
      eventSourceARN: `arn:aws:sqs:us-east-1:000000000000:${queue}`,
    } as SQSRecord;
    expect(readDeadLetter(stack, record)).toEqual({
      stage: "convert",
      photoId,
      messageId: "m-2",
      receives: 3,
    });
  });
});
