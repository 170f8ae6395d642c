/**
 * `npm run build:agent [-- --target linux-x64|win-x64 …] [--force] [--no-timing]`: the agent as one
 * executable per platform in `dist/` (`photo-relay-linux-x64`, `photo-relay-win-x64.exe`,
 * `SHA256SUMS`), made by `scripts/agent-exe/build.ts`. Prints what the bundle carries, each
 * executable's size, and the Linux executable's start-up time beside the source run's (printed,
 * not judged). Targets already up to date are kept.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildAgentExes, exePath, ROOT } from "./agent-exe/build.ts";
import { hostTarget, NODE_VERSION, nodeBinary, TARGETS, type Target } from "./agent-exe/node-binary.ts";

const { values } = parseArgs({
  options: {
    target: { type: "string", multiple: true },
    force: { type: "boolean", default: false },
    "no-timing": { type: "boolean", default: false },
  },
});
const targets = (values.target ?? [...TARGETS]).map((t) => {
  if (!(TARGETS as readonly string[]).includes(t))
    throw new Error(`--target ${t}: one of ${TARGETS.join(", ")}`);
  return t as Target;
});

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const kb = (bytes: number) => `${(bytes / 1e3).toFixed(0)} kB`;
const ms = (value: number) => `${value.toFixed(0).padStart(4)} ms`;

const { bundle, exes } = await buildAgentExes(targets, { force: values.force });
const { code, weights } = bundle;
console.log(
  `bundle ${kb(code.length)} (Node.js ${NODE_VERSION}); heaviest: ${weights
    .slice(0, 6)
    .map((w) => `${w.name} ${kb(w.bytes)}`)
    .join(", ")}`,
);
console.log("  at run time: koffi, carried as an asset on linux-x64 (not used on Windows); nothing else\n");

for (const exe of exes) {
  console.log(
    `${exe.path.slice(ROOT.length + 1).padEnd(32)} ${mb(exe.bytes).padStart(9)}  ${exe.rebuilt ? "built" : "up to date"}  sha256 ${exe.sha256.slice(0, 16)}…`,
  );
}

if (!values["no-timing"] && targets.includes("linux-x64") && hostTarget() === "linux-x64") startupTimes();

/**
 * Wall time of `--version` and `status` for the executable (cold: its pages dropped from the page
 * cache first, with dd's nocache, which touches no other file) and warm (median of 5), beside
 * `node agent/bin/photo-relay.ts`, the same CLI from source.
 */
function startupTimes(): void {
  const dir = mkdtempSync(join(tmpdir(), "agent-startup-"));
  try {
    mkdirSync(join(dir, "inbox"));
    const config = join(dir, "photo-relay.agent.json");
    writeFileSync(
      config,
      JSON.stringify({ inbox: ["./inbox"], spoolDir: "./spool", s3: { bucket: "media" } }),
    );
    const exe = exePath("linux-x64");
    const source = [process.execPath, join(ROOT, "agent/bin/photo-relay.ts")];
    const env = { PATH: "", HOME: dir };
    const time = (command: string[], args: string[], environment: NodeJS.ProcessEnv) => {
      const started = process.hrtime.bigint();
      const run = spawnSync(command[0] as string, [...command.slice(1), ...args], { env: environment });
      if (run.status !== 0) throw new Error(`${command.join(" ")} ${args.join(" ")}: ${run.stderr}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (command: string[], args: string[], environment: NodeJS.ProcessEnv) => {
      const samples = Array.from({ length: 5 }, () => time(command, args, environment)).sort((a, b) => a - b);
      return samples[2] as number;
    };
    const dropped = spawnSync("dd", [`if=${exe}`, "iflag=nocache", "count=0", "status=none"]).status === 0;
    const cold = time([exe], ["--version"], env);
    const floor = median([nodeBinary("linux-x64", join(ROOT, ".build", "agent")), "-e", "0"], [], env);
    const line = (label: string, args: string[]) =>
      `${label.padEnd(10)} exe ${ms(median([exe], args, env))}   from source ${ms(median(source, args, process.env))}`;
    console.log(
      [
        `\nstart-up, wall time (load average ${loadavg()[0]?.toFixed(1)}); warm = median of 5`,
        `--version  exe ${ms(cold)} cold${dropped ? "" : " (page cache not dropped)"}`,
        line("--version", ["--version"]),
        line("status", ["status", "--config", config]),
        `Node ${NODE_VERSION} itself (node -e 0): ${ms(floor)}`,
      ].join("\n"),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
