/**
 * Installs SST's platform types (`.sst/platform`) so `tsc` checks `sst.config.ts` and `infra/`
 * against the real components, offline: no Pulumi or Bun download (research/sst.md §3).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

if (existsSync(".sst/platform/config.d.ts") && !process.argv.includes("--force")) process.exit(0);
execFileSync("npx", ["sst", "install", "--stage", process.env.SST_STAGE ?? "ci"], {
  stdio: "inherit",
  env: { ...process.env, SST_SKIP_DEPENDENCY_CHECK: "1", SST_NO_BUN: "1", SST_TELEMETRY_DISABLED: "1" },
});
