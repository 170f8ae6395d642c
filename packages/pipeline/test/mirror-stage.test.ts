/**
 * The mirror stage against a real SFTP web host that goes away: the photo is retried with a
 * growing delay, then shows "mirror failed" and its message reaches the dead-letter queue; when the
 * host is back, `POST /photos/:id/retry` finishes the job. Nothing is lost on the way.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalStack } from "@photo-relay/local-stack";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../../../agent/test/helpers/tcp-proxy.ts";
import { cameraJpeg } from "../../../test/support/photos.ts";
import { testStack, uploadOriginal, waitForPhoto } from "../../../test/support/stack.ts";
import { waitFor } from "../../../test/support/wait.ts";
import { type SshdServer, startSshd } from "../../mirror/test/servers/sshd.ts";

let sshd: SshdServer;
let proxy: TcpProxy;
let stack: LocalStack;

beforeAll(async () => {
  sshd = await startSshd();
  proxy = await startTcpProxy({ host: sshd.host, port: sshd.port });
  const file = join(mkdtempSync(join(tmpdir(), "config-")), "photo-relay.config.json");
  writeFileSync(
    file,
    JSON.stringify({
      redelivery: { baseSeconds: 1, maxSeconds: 1 },
      mirror: {
        renditions: ["web", "original"],
        targets: [
          {
            name: "web",
            transports: [
              {
                type: "sftp",
                host: "127.0.0.1",
                port: Number(new URL(proxy.endpoint).port),
                user: sshd.user,
                password: sshd.password,
                hostKeyFingerprint: sshd.hostKeyFingerprint,
                root: sshd.root,
                timeoutMs: 3000,
              },
            ],
            pathTemplate: "{yyyy}/{mm}/",
            publicBaseUrl: "https://photos.example.com/",
          },
        ],
      },
    }),
  );
  stack = await testStack({
    env: { PHOTO_RELAY_CONFIG: file },
    queueOverrides: { mirror: { visibilityTimeoutSeconds: 5 } },
  });
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
  await sshd?.stop();
});

describe("mirror stage: the web host goes away and comes back", () => {
  it("retries, dead-letters with a clear failed state, then recovers through the retry endpoint", async () => {
    proxy.setMode("refuse");
    const id = await uploadOriginal(
      stack,
      await cameraJpeg({ width: 1200, height: 900, seed: 700 }),
      "wedding.jpg",
    );
    const failed = await waitForPhoto(
      stack,
      id,
      (p) => p.stages.mirror.status === "failed",
      "mirror failed",
      60_000,
    );
    expect(failed.status).toBe("failed");
    expect(failed.stages.mirror.attempts).toBe(8); // every receive the queue allows
    expect(failed.stages.mirror.lastError).toMatchObject({
      code: "gave_up",
      message: expect.stringMatching(/connect/),
    });
    expect(failed.stages.publish.status).toBe("done"); // publishing does not wait for the web host
    const headers = { authorization: `Bearer ${stack.apiToken}` };
    // The queue moves the message to its dead-letter queue at the receive after the last one,
    // whose subscriber marks the photo and takes the message off it.
    await waitFor(async () => {
      const status = await (await fetch(`${stack.urls.api}/status`, { headers })).json();
      return status.deadLettered === 1 && status.queues.mirror.deadLetters === 0;
    }, "the photo marked dead-lettered");
    expect((await stack.runtime.photos.require(id)).stages.mirror.deadLettered).toBe(true);

    proxy.setMode("pass");
    const res = await fetch(`${stack.urls.api}/photos/${id}/retry`, { method: "POST", headers });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ redriven: ["mirror"] });
    const done = await waitForPhoto(stack, id, (p) => p.status === "done", "mirrored after the retry");
    const files = done.stages.mirror.files ?? [];
    expect(files.map((f) => f.rendition)).toEqual(["web", "original"]);
    for (const file of files) {
      expect(file).toMatchObject({
        transport: "sftp",
        publicUrl: expect.stringMatching(/^https:\/\/photos\.example\.com\/\d{4}\/\d{2}\//),
      });
      expect(existsSync(join(sshd.root, file.remotePath))).toBe(true);
    }
    expect((await fetch(`${stack.urls.api}/photos/${id}/retry`, { method: "POST", headers })).status).toBe(
      409,
    );
  });
});
