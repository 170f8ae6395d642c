/** Runs the offline synthesis (`scripts/synth/run.ts`) in a child process, as CI does. */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Graph } from "../../scripts/synth/graph.ts";

const root = resolve(import.meta.dirname, "../..");

/** Installs SST's platform if needed (offline), then synthesizes with exactly `env`. */
export function synthesize(env: Record<string, string>): Graph {
  const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() };
  execFileSync(process.execPath, ["scripts/sst-install.ts"], {
    cwd: root,
    env: { ...process.env, SST_STAGE: "ci" },
    stdio: "inherit",
  });
  const out = join(mkdtempSync(join(tmpdir(), "synth-")), "graph.json");
  execFileSync(process.execPath, ["scripts/synth/run.ts", "--out", out], {
    cwd: root,
    env: { ...base, ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  return JSON.parse(readFileSync(out, "utf8")) as Graph;
}
