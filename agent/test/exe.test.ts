/**
 * What only the single executable does (vitest project "agent-exe"): it carries koffi's addon,
 * writes it to a private cache folder, checks it there before every load, and runs on without it
 * when that folder cannot be trusted (src/intake/koffi.ts).
 */
import { createHash } from "node:crypto";
import { chmod, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetsFor } from "../../scripts/agent-exe/build.ts";
import { agentProgram } from "./helpers/agent-program.ts";
import { jpeg } from "./helpers/media.ts";
import { spawnAgentProgram, stopChild, waitForLine } from "./helpers/processes.ts";
import { BUCKET, startS3, type TestS3 } from "./helpers/s3.ts";
import { workspace } from "./helpers/workspace.ts";

const program = agentProgram();
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const carried = sha256(await readFile(Object.values(assetsFor("linux-x64"))[0] as string));

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

/** `doctor --json`'s file-watch line with PHOTO_RELAY_CACHE_DIR=cache. */
async function fileWatch(cache: string): Promise<{ ok: boolean; detail: string }> {
  const ws = await workspace("agent-exe-doctor");
  const config = join(ws.root, "photo-relay.agent.json");
  const s3Config = { bucket: BUCKET, endpoint: s3.endpoint, forcePathStyle: true };
  await writeFile(config, JSON.stringify({ inbox: ["./inbox"], spoolDir: "./spool", s3: s3Config }));
  const run = {
    env: { PHOTO_RELAY_CACHE_DIR: cache, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
  };
  const { stdout } = await program.run(["doctor", "--json", "--config", config], run);
  const checks = JSON.parse(stdout) as Array<{ name: string; ok: boolean; detail: string }>;
  await ws.remove();
  return checks.find((c) => c.name === "file watch") ?? { ok: false, detail: "no file watch check" };
}

describe("agent: the single executable's koffi", () => {
  it("writes the carried addon to its cache once, and rewrites a cached copy that differs", async () => {
    const cache = await mkdtemp(join(tmpdir(), "agent-exe-cache-"));
    const first = await fileWatch(cache);
    expect(first).toMatchObject({ ok: true });
    expect(first.detail).toMatch(/^inotify close-write through koffi 3\.\d+\.\d+ \(carried, loaded from /);
    const [name, ...others] = await readdir(cache);
    expect(others).toEqual([]);
    expect(name).toBe(`koffi-${carried.slice(0, 16)}.node`);
    expect(sha256(await readFile(join(cache, name as string)))).toBe(carried);

    await writeFile(join(cache, name as string), "not the addon that was carried");
    expect(await fileWatch(cache)).toMatchObject({ ok: true });
    expect(sha256(await readFile(join(cache, name as string)))).toBe(carried);
  });

  it("loads nothing from a cache folder others may write to, and delivers without close-write events", async () => {
    const cache = await mkdtemp(join(tmpdir(), "agent-exe-cache-"));
    await chmod(cache, 0o777);
    const watch = await fileWatch(cache);
    expect(watch.ok).toBe(false);
    expect(watch.detail).toMatch(/^chokidar and scans \(koffi: cache folder .* is writable by others/);
    expect(await readdir(cache)).toEqual([]);

    const ws = await workspace("agent-exe-fallback");
    const { child } = await spawnAgentProgram(
      program,
      {
        endpoint: s3.endpoint,
        bucket: BUCKET,
        inbox: [ws.inbox],
        spoolDir: ws.spoolDir,
        scanIntervalMs: 300,
      },
      { run: { env: { PHOTO_RELAY_CACHE_DIR: cache } } },
    );
    try {
      await waitForLine(child, /agent ready/);
      await writeFile(join(ws.inbox, "fallback.jpg"), jpeg(100_000));
      await waitForLine(child, /✔ .*fallback\.jpg → originals\/[0-9a-f]{64}\.jpg/);
    } finally {
      await stopChild(child);
    }
    await ws.remove();
  });
});
