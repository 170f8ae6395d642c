/**
 * The soak's web-host and Instagram checks against a host folder, a sandbox state and an API
 * answering with records: a photo mirrored or posted after the records were read (the pipeline
 * still working after a drain that timed out) is that photo arriving late, not a file no record
 * names or an early post (issue 14's full run: 31 such "orphans", each the rendition of a photo
 * the records check counted as missing).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PhotoRecord } from "@photo-relay/pipeline/photo";
import { afterEach, describe, expect, it } from "vitest";
import type { CheckInput } from "../checks/check.ts";
import { checkGraphPosts } from "../checks/graph-posts.ts";
import { checkWebHost } from "../checks/web-host.ts";

const LATE = "a".repeat(64);
const ORPHAN = "b".repeat(64);
const MIRRORED = "c".repeat(64);
const file = (id: string) => `2026/12/${id}-web.jpg`;

/** A record as far as the check reads it: the mirror stage and its files. */
const mirrored = (id: string) =>
  ({
    id,
    stages: {
      publish: { status: "done", mediaId: `m-${id}` },
      mirror: {
        status: "done",
        files: [{ rendition: "web", target: "host", transport: "ftps", remotePath: file(id) }],
      },
    },
  }) as unknown as PhotoRecord;

let server: Server | undefined;
let root: string | undefined;
afterEach(() => {
  server?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The API as it answers now: every photo mirrored, including the one not yet recorded when the check read. */
async function api(): Promise<{ url: string; token: string }> {
  server = createServer((req, res) => {
    if (req.url === "/__sandbox/state") {
      // Posts of the late photo and of the mirrored one; the image URL names the photo.
      const posted = [LATE, MIRRORED];
      const media = posted.map((id) => ({ id: `m-${id}`, containerId: `c-${id}`, timestamp: 0 }));
      const containers = posted.map((id) => ({ id: `c-${id}`, imageUrl: `https://host/${file(id)}` }));
      return void res.writeHead(200).end(JSON.stringify({ media, containers }));
    }
    const id = req.url?.split("/").pop() ?? "";
    if (id !== LATE && id !== MIRRORED) return void res.writeHead(404).end("{}");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(mirrored(id)));
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: "t" };
}

describe("soak check: the web host", () => {
  it("takes a file of a photo mirrored after the records were read for that photo, not an orphan", async () => {
    root = mkdtempSync(join(tmpdir(), "web-host-check-"));
    mkdirSync(join(root, "2026/12"), { recursive: true });
    for (const id of [LATE, ORPHAN, MIRRORED]) writeFileSync(join(root, file(id)), "jpeg");
    const records = new Map<string, PhotoRecord | undefined>([
      [MIRRORED, mirrored(MIRRORED)],
      [LATE, undefined], // no record yet when the records were read
    ]);
    const input = { api: await api(), hosts: { root }, records } as unknown as CheckInput;
    const checked = await checkWebHost(input);
    expect(checked.problems).toEqual([
      // A file of a photo nobody took is still an orphan.
      `a file no record names: /${file(ORPHAN)}`,
      // The late photo itself stays reported: it was not mirrored when its record was read.
      `${LATE.slice(0, 12)}: mirror no record`,
    ]);
    expect(checked.detail).toMatchObject({ filesOnHost: 3, mirroredAfterRecordsRead: 1 });
  });

  it("takes a post of a photo published after the records were read for that photo's one post", async () => {
    const records = new Map<string, PhotoRecord | undefined>([
      [MIRRORED, mirrored(MIRRORED)],
      [LATE, undefined],
    ]);
    const at = await api();
    const input = { api: at, stack: { urls: { graph: at.url } }, records } as unknown as CheckInput;
    const checked = await checkGraphPosts(input);
    expect(checked.problems).toEqual([]);
    expect(checked.detail).toMatchObject({ posted: 1, postedAfterRecordsRead: 1, postsOnInstagram: 2 });
  });
});
