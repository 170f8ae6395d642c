/**
 * Crash safety: a burst of 50 files while the agent (a child process) is killed with SIGKILL at
 * random moments ≥ 20 times and restarted. Afterwards every file is in S3 exactly once with the
 * right bytes, every original is archived and the spool is empty.
 * Default: 25 × 2 MB + 25 × 11 MB (3 parts of 5 MiB). AGENT_CRASH_FULL=1: 25 × 20 MB + 25 × 75 MB, 8 MiB parts.
 * The agent runs as `photo-relay agent` from source and, in the vitest project "agent-exe", as the
 * single executable (helpers/agent-program.ts).
 */
import { createHash, randomInt } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "./helpers/agent-events.ts";
import { agentProgram } from "./helpers/agent-program.ts";
import { jpeg, nef } from "./helpers/media.ts";
import {
  type ExternalS3,
  spawnAgentProgram,
  startExternalFauxqs,
  stopChild,
  waitForLine,
} from "./helpers/processes.ts";
import { BUCKET, listOriginals, objectSha256, s3Client } from "./helpers/s3.ts";

const MB = 1_000_000;
const FULL = process.env.AGENT_CRASH_FULL === "1";
const SMALL = FULL ? 20 * MB : 2 * MB;
const LARGE = FULL ? 75 * MB : 11 * MB;
const PART = (FULL ? 8 : 5) * 1024 * 1024;
const KILLS = Number(process.env.AGENT_CRASH_KILLS ?? 20);
const program = agentProgram();

let s3: ExternalS3;
beforeAll(async () => {
  s3 = await startExternalFauxqs();
});
afterAll(async () => {
  await s3?.stop();
});

describe("agent: crash safety", () => {
  it(
    `loses and duplicates nothing when SIGKILLed ${KILLS} times during a burst of 50 files (${program.kind})`,
    async () => {
      const root = await mkdtemp(join(tmpdir(), "agent-crash-"));
      const [source, inbox, spoolDir, processedDir] = ["source", "inbox", "spool", "processed"].map((d) =>
        join(root, d),
      ) as [string, string, string, string];
      await mkdir(source);
      await mkdir(inbox);
      const expected = new Map<string, string>(); // name → sha256
      for (let i = 0; i < 50; i++) {
        const name = i % 2 ? `DSC_${1000 + i}.NEF` : `DSC_${1000 + i}.JPG`;
        const bytes = i % 2 ? nef(LARGE) : jpeg(SMALL);
        expected.set(name, createHash("sha256").update(bytes).digest("hex"));
        await writeFile(join(source, name), bytes);
      }
      const options = {
        endpoint: s3.endpoint,
        bucket: BUCKET,
        inbox: [inbox],
        spoolDir,
        processedDir,
        partSizeBytes: PART,
        stableMs: 300,
        scanIntervalMs: 1000,
        linkIntoSpool: false,
        backoff: { baseMs: 100, maxMs: 1000 },
      };

      // The burst: a camera writing 50 files (non-atomically) while the agent keeps dying.
      const burst = (async () => {
        for (const name of expected.keys()) await copyFile(join(source, name), join(inbox, name));
      })();
      let kills = 0;
      while (kills < KILLS) {
        const { child } = await spawnAgentProgram(program, options);
        // Random moments: sometimes during start-up, mostly while spooling and uploading.
        const lifetime = randomInt(kills % 4 === 0 ? 50 : 400, 1800);
        await new Promise((r) => setTimeout(r, lifetime)); // the kill moment is the point of this test
        await stopChild(child, "SIGKILL");
        kills++;
      }
      await burst;

      const { child: survivor } = await spawnAgentProgram(program, options);
      try {
        await waitForLine(survivor, /agent ready/);
        await until(
          async () =>
            (await readdir(processedDir).catch(() => [])).length === 50 &&
            (await readdir(inbox)).length === 0,
          FULL ? 600_000 : 120_000,
          "all originals archived",
        );
        await until(
          async () =>
            (await readdir(join(spoolDir, "journal"))).filter((f) => f.endsWith(".json")).length === 0,
        );
      } finally {
        await stopChild(survivor);
      }

      expect(await readdir(join(spoolDir, "data"))).toEqual([]);
      for (const [name, sha] of expected) {
        const bytes = await readFile(join(processedDir, name));
        expect(createHash("sha256").update(bytes).digest("hex"), name).toBe(sha);
      }
      const client = s3Client(s3.endpoint);
      const keys = await listOriginals(client);
      const wanted = [...expected].map(
        ([name, sha]) => `originals/${sha}${name.endsWith(".NEF") ? ".nef" : ".jpg"}`,
      );
      expect([...keys.keys()].sort()).toEqual(wanted.sort());
      for (const key of wanted) {
        const sha = key.slice("originals/".length, -4);
        expect(await objectSha256(client, key), key).toBe(sha);
      }
      client.destroy();
      await rm(root, { recursive: true, force: true });
    },
    FULL ? 900_000 : 180_000,
  );
});
