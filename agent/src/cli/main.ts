/**
 * `photo-relay <command>`: agent (live view), status [--json], doctor [--json], install-service.
 * The process entry `bin/photo-relay.ts` only imports this.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, describeError } from "@photo-relay/core";
import { agentCommand } from "./agent-command.ts";
import { DEFAULT_CONFIG, loadConfig } from "./config.ts";
import { doctorCommand } from "./doctor.ts";
import { installServiceCommand } from "./install-service.ts";
import { statusCommand } from "./status.ts";

const USAGE = `photo-relay — camera folder → S3, crash-safe

Usage:
  photo-relay agent [--config FILE] [--tether] [--plain]   watch, spool and upload (live view on a terminal)
  photo-relay status [--config FILE] [--json]              what the agent is doing / what waits in the spool
  photo-relay doctor [--config FILE] [--json]              check config, folders, disk, S3, gphoto2 and camera
  photo-relay install-service [--config FILE] [--platform linux|windows] [--user NAME] [--output FILE]

The config file defaults to ./${DEFAULT_CONFIG}.
`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string", short: "c", default: DEFAULT_CONFIG },
      json: { type: "boolean", default: false },
      tether: { type: "boolean", default: false },
      plain: { type: "boolean", default: false },
      platform: { type: "string" },
      user: { type: "string" },
      output: { type: "string", short: "o" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command] = positionals;
  if (values.help || !command || command === "help") {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig(values.config);
  switch (command) {
    case "agent":
      return agentCommand(config, { tether: values.tether, plain: values.plain });
    case "status":
      return statusCommand(config, values.json, process.stdout);
    case "doctor":
      return doctorCommand(config, values.json, process.stdout);
    case "install-service": {
      const platform = values.platform ?? (process.platform === "win32" ? "windows" : "linux");
      if (platform !== "linux" && platform !== "windows") throw new ConfigError([`--platform: ${platform}`]);
      const bin = resolve(import.meta.dirname, "../../bin/photo-relay.ts");
      return installServiceCommand(
        {
          platform,
          node: process.execPath,
          bin,
          config: config.path,
          workingDir: resolve("."),
          ...(values.user && { user: values.user }),
        },
        values.output,
        process.stdout,
      );
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

export async function runCli(): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    const { code, message } = describeError(error);
    process.stderr.write(`photo-relay: ${error instanceof ConfigError ? message : `${code}: ${message}`}\n`);
    process.exitCode = 1;
  }
}
