/**
 * The `photo-relay` CLI as a person runs it: agent, status --json, doctor, install-service, logs.
 * Run from source and, in the vitest project "agent-exe", as the single executable alone in a folder
 * (helpers/agent-program.ts).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/cli/config.ts";
import { formatBytes, renderStatus } from "../src/cli/live-view.ts";
import { RotatingFile } from "../src/cli/log-file.ts";
import { agentProgram, FAKE_BIN, type RunOptions } from "./helpers/agent-program.ts";
import { jpeg } from "./helpers/media.ts";
import { stopChild, waitForLine } from "./helpers/processes.ts";
import { BUCKET, startS3, type TestS3 } from "./helpers/s3.ts";

const program = agentProgram();
const SECRET = "wJalrXUtnFEMI-very-secret";

let s3: TestS3;
let root: string;
let configPath: string;
beforeAll(async () => {
  s3 = await startS3();
  root = await mkdtemp(join(tmpdir(), "agent-cli-"));
  await mkdir(join(root, "inbox"));
  await mkdir(join(root, "card"));
  await writeFile(join(root, "secret.txt"), `${SECRET}\n`);
  configPath = join(root, "photo-relay.agent.json");
  await writeFile(
    configPath,
    JSON.stringify({
      inbox: ["./inbox"],
      spoolDir: "./spool",
      s3: {
        bucket: BUCKET,
        endpoint: s3.endpoint,
        forcePathStyle: true,
        accessKeyId: "AKIAEXAMPLE",
        secretAccessKeyFile: "./secret.txt",
      },
      stableMs: 100,
      scanIntervalMs: 300,
      log: { file: "./logs/agent.log" },
    }),
  );
});
afterAll(async () => {
  await s3?.stop();
});

const withCamera = (): RunOptions => ({ path: [FAKE_BIN], env: { FAKE_GPHOTO2_CARD: join(root, "card") } });
const cli = (...args: string[]) => program.run([...args, "--config", configPath], withCamera());

describe("agent: CLI", () => {
  it("runs the agent, reports status --json while it runs, logs JSON with secrets masked, and stops on SIGTERM", async () => {
    const child = program.spawn(["agent", "--config", configPath], withCamera());
    try {
      await waitForLine(child, /agent ready/);
      await writeFile(join(root, "inbox", "cli.jpg"), jpeg(50_000));
      await waitForLine(child, /✔ .*cli\.jpg → originals\/[0-9a-f]{64}\.jpg/);
      const { stdout } = await cli("status", "--json");
      expect(JSON.parse(stdout)).toMatchObject({
        running: true,
        online: true,
        delivered: 1,
        waiting: { files: 0 },
      });
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      await stopChild(child);
    }
    const log = await readFile(join(root, "logs", "agent.log"), "utf8");
    const lines = log
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { message: string });
    expect(lines.some((l) => l.message === "delivered")).toBe(true);
    expect(log).not.toContain(SECRET);
    expect(log).toContain("AKIA****");
    const after = JSON.parse((await cli("status", "--json")).stdout);
    expect(after).toMatchObject({ running: false, waiting: { files: 0 } });
  });

  it("doctor checks folders, disk, S3 and the camera", async () => {
    const { stdout } = await cli("doctor", "--json");
    const checks = JSON.parse(stdout) as Array<{ name: string; ok: boolean; detail: string }>;
    expect(
      checks.every((c) => c.ok),
      stdout,
    ).toBe(true);
    expect(checks.find((c) => c.name === "s3")?.detail).toMatch(/reachable, credentials accepted/);
    expect(checks.find((c) => c.name === "gphoto2")?.detail).toMatch(/Nikon DSC D850/);
    // The single executable carries koffi and loads it from its cache folder (src/intake/koffi.ts).
    expect(checks.find((c) => c.name === "file watch")?.detail).toMatch(
      program.kind === "exe"
        ? /^inotify close-write through koffi 3\.\d+\.\d+ \(carried, loaded from .*\/\.cache\/photo-relay\/koffi-[0-9a-f]{16}\.node\)$/
        : /^inotify close-write through koffi 3\.\d+\.\d+ \(npm package\)$/,
    );
  });

  it("doctor fails loudly when S3 is unreachable", async () => {
    const broken = join(root, "broken.json");
    const config = JSON.parse(await readFile(configPath, "utf8"));
    await writeFile(
      broken,
      JSON.stringify({
        ...config,
        inbox: [join(root, "inbox")],
        s3: { ...config.s3, endpoint: "http://127.0.0.1:9", secretAccessKeyFile: join(root, "secret.txt") },
      }),
    );
    const failed = await program
      .run(["doctor", "--config", broken], withCamera())
      .catch((e: { code: number; stdout: string }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stdout: string }).stdout).toMatch(/✖ s3 +S3 unreachable/);
  });

  it("writes a systemd unit and a WinSW service definition that run this program", async () => {
    // From source they are printed; the single executable writes them next to itself.
    const definition = async (...args: string[]) => {
      const { stdout } = await cli("install-service", ...args);
      if (program.kind === "source") return stdout;
      const file = /^wrote (.+)$/m.exec(stdout)?.[1] ?? "";
      expect(dirname(file)).toBe(dirname(program.command[0]));
      const text = await readFile(file, "utf8");
      await rm(file); // the executable's folder stays as it was downloaded
      return text;
    };
    const linux = await definition("--platform", "linux", "--user", "photo");
    expect(linux).toContain(`ExecStart=${program.command.join(" ")} agent --config ${configPath}`);
    expect(linux).toMatch(/Restart=always\n/);
    expect(linux).toContain("User=photo");
    const windows = await definition("--platform", "windows");
    expect(windows).toContain("<id>photo-relay-agent</id>");
    expect(windows).toContain('<onfailure action="restart"');
    expect(windows).toContain(`<executable>${program.command[0]}</executable>`);
    expect(windows).toContain(`<logpath>${join(root, "spool", "logs")}</logpath>`);
  });

  it("prints its version and what runs it", async () => {
    const { stdout } = await program.run(["--version"]);
    expect(stdout).toMatch(
      /^photo-relay \d+\.\d+\.\d+ \(Node\.js v24\.\d+\.\d+, linux-x64, (single executable|from source), --max-semi-space-size=4\)\n$/,
    );
    // The executable carries its V8 flags; from source they are on the command line, as in its service.
    expect(stdout).toContain(program.kind === "exe" ? ", single executable," : ", from source,");
  });

  it("rejects an invalid config naming each bad field", async () => {
    const bad = join(root, "bad.json");
    await writeFile(bad, JSON.stringify({ inbox: [], s3: { bucket: "x" } }));
    expect(() => loadConfig(bad)).toThrow(/inbox: .*\n.*spoolDir/s);
  });

  it("rotates the JSON log file by size", async () => {
    const dir = await mkdtemp(join(tmpdir(), "agent-log-"));
    const file = new RotatingFile(join(dir, "agent.log"), 100, 2);
    for (let i = 0; i < 10; i++) file.write(`${JSON.stringify({ i, pad: "x".repeat(30) })}\n`);
    await new Promise((r) => file.end(r));
    expect((await readdir(dir)).sort()).toEqual(["agent.log", "agent.log.1", "agent.log.2"]);
  });

  it("renders the live view: online state, queue, counters and a progress bar per file", () => {
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
    const plain = (lines: string[]) => lines.join("\n").replace(ansi, "");
    const frame = plain(
      renderStatus(
        {
          online: false,
          waiting: { files: 3, bytes: 95_000_000 },
          delivered: 7,
          ignored: 1,
          failed: 0,
          inFlight: [{ name: "DSC_0042.NEF", bytes: 75_000_000, sent: 30_000_000 }],
          lastError: { code: "ECONNREFUSED", message: "connect ECONNREFUSED" },
        },
        { throughput: 12_500_000, tether: "Nikon DSC D850 (usb:001,004)" },
      ),
    );
    expect(frame).toContain("● offline  12.5 MB/s");
    expect(frame).toContain("queue 3 file(s), 95.0 MB");
    expect(frame).toContain("✔ 7 delivered");
    expect(frame).toContain("last error: ECONNREFUSED");
    expect(frame).toMatch(/█{10}░{14} {2}40% {2}DSC_0042\.NEF {2}30\.0 MB \/ 75\.0 MB/);
    expect(formatBytes(999)).toBe("999 B");
  });
});
