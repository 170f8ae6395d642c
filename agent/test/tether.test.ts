/**
 * Tethering with a stand-in gphoto2 on PATH (test/fixtures/bin) that follows the real CLI's
 * contract: catch-up download at start, hook-driven tethered capture, a disconnect that makes
 * gphoto2 exit, restart with backoff, and catch-up of the shots taken while unplugged.
 */
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { createLogger } from "@photo-relay/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAutoDetect, startAgent, startTether, type TetherState } from "../src/index.ts";
import { until, waitForEvents } from "./helpers/agent-events.ts";
import { jpeg, nef } from "./helpers/media.ts";
import { BUCKET, listOriginals, startS3, type TestS3 } from "./helpers/s3.ts";

const logger = createLogger("agent-test", { level: "SILENT" });
const BIN = resolve(import.meta.dirname, "fixtures/bin");
let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(async () => {
  await s3?.stop();
});

/** A shot lands on the card atomically (the camera finished writing it). */
async function shoot(card: string, name: string, bytes: Buffer) {
  const temp = join(dirname(card), `.${name}`);
  await writeFile(temp, bytes);
  await rename(temp, join(card, name));
}

describe("agent: tethering (gphoto2)", () => {
  it("parses gphoto2 --auto-detect", () => {
    const out =
      "Model                          Port\n----------------------------------------------------------\nNikon DSC D850                 usb:001,004\n";
    expect(parseAutoDetect(out)).toEqual([{ model: "Nikon DSC D850", port: "usb:001,004" }]);
    expect(parseAutoDetect(out.split("\n").slice(0, 2).join("\n"))).toEqual([]);
  });

  it("catches up, downloads each capture via the hook, and recovers from a disconnect", async () => {
    const root = await mkdtemp(join(tmpdir(), "agent-tether-"));
    const [inbox, card, spoolDir, processedDir] = ["inbox", "card", "spool", "processed"].map((d) =>
      join(root, d),
    ) as [string, string, string, string];
    await mkdir(inbox);
    await mkdir(card);
    process.env.PATH = `${BIN}${delimiter}${dirname(process.execPath)}${delimiter}${process.env.PATH}`;
    process.env.FAKE_GPHOTO2_CARD = card;
    await shoot(card, "DSC_0001.NEF", nef(300_000)); // taken before the agent started

    const agent = startAgent({
      inbox: [inbox],
      spoolDir,
      processedDir,
      s3: { client: s3.client, bucket: BUCKET },
      stableMs: 60_000, // only the hook (complete=true) can make these files ready quickly
      scanIntervalMs: 60_000,
      logger,
    });
    await agent.ready;
    const states: TetherState[] = [];
    const tether = startTether({
      dir: inbox,
      workDir: spoolDir,
      logger,
      onDownload: (path) => agent.hint(path, true),
      onState: (s) => states.push(s),
      backoff: { baseMs: 100, maxMs: 400 },
    });

    await waitForEvents(agent, "delivered", 1);
    await until(() => states.at(-1)?.state === "tethered", 10_000, "tethered");
    const second = waitForEvents(agent, "delivered", 1);
    await shoot(card, "DSC_0002.JPG", jpeg(200_000));
    await second;

    await writeFile(`${card}.unplugged`, "");
    await until(() => states.some((s) => s.state === "disconnected"), 10_000, "disconnect noticed");
    await shoot(card, "DSC_0003.JPG", jpeg(200_000)); // taken while unplugged
    const caughtUp = waitForEvents(agent, "delivered", 3); // 0003, plus 0001/0002 downloaded again (already in S3)
    await rm(`${card}.unplugged`);
    await caughtUp;
    await until(() => states.at(-1)?.state === "tethered", 10_000, "tethered again");

    expect((await listOriginals(s3.client)).size).toBe(3);
    expect((await readdir(processedDir)).sort()).toEqual(
      (await readdir(processedDir)).filter((n) => /DSC_000[123]\.(NEF|JPG)$/.test(n)).sort(),
    );
    expect(await readdir(processedDir)).toHaveLength(3);
    expect((await readdir(inbox)).filter((n) => !n.startsWith("."))).toEqual([]);
    await tether.stop();
    await agent.stop();
  }, 60_000);
});
