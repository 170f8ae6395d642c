/**
 * Global setup of the vitest project "agent-exe": builds the executables when they are missing or
 * out of date (`npm run build:agent` does the same), then copies the Linux one alone into an empty
 * folder, the way a user downloads it, and hands its path to the tests (`agent-program.ts`).
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { buildAgentExes, exePath } from "../../../scripts/agent-exe/build.ts";
import { TARGETS } from "../../../scripts/agent-exe/node-binary.ts";

export default async function setup(project: TestProject): Promise<() => void> {
  await buildAgentExes(TARGETS);
  const root = mkdtempSync(join(tmpdir(), "agent-exe-"));
  const alone = join(root, "download");
  const home = join(root, "home");
  mkdirSync(alone);
  mkdirSync(home);
  const exe = join(alone, "photo-relay");
  copyFileSync(exePath("linux-x64"), exe);
  chmodSync(exe, 0o755);
  project.provide("agentExe", exe);
  project.provide("agentExeHome", home);
  return () => rmSync(root, { recursive: true, force: true });
}
