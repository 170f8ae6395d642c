import { configDefaults, defineConfig } from "vitest/config";

/**
 * Process tests that run a second time against the agent's single executable, built first by the
 * project's global setup when missing or stale (agent/test/helpers/agent-program.ts).
 */
const AGENT_EXE_TESTS = [
  "agent/test/cli.test.ts",
  "agent/test/crash.test.ts",
  "agent/test/program.test.ts",
  "agent/test/exe.test.ts",
  "scripts/test/build-agent.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: {
          name: "default",
          include: [
            "packages/*/test/**/*.test.ts",
            "agent/test/**/*.test.ts",
            "functions/test/**/*.test.ts",
            "infra/test/**/*.test.ts",
            "scripts/test/**/*.test.ts",
            "test/**/*.test.ts",
            "soak/test/**/*.test.ts",
            "bench/test/**/*.test.ts",
          ],
          // They check the executables, which only the agent-exe project builds.
          exclude: [...configDefaults.exclude, "agent/test/exe.test.ts", "scripts/test/build-agent.test.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "agent-exe",
          include: AGENT_EXE_TESTS,
          globalSetup: ["agent/test/helpers/exe-setup.ts"],
        },
      },
    ],
  },
});
