/**
 * `photo-relay <command>`: agent (live view), status [--json], doctor [--json], install-service.
 * The process entry `bin/photo-relay.ts` only imports this.
 */
import { dirname, join, resolve } from "node:path";
import { isSea } from "node:sea";
import { parseArgs } from "node:util";
import { ConfigError, describeError } from "@photo-relay/core/edge";
import agentPackage from "../../package.json" with { type: "json" };
import { agentCommand } from "./agent-command.ts";
import { DEFAULT_CONFIG, loadConfig } from "./config.ts";
import { doctorCommand } from "./doctor.ts";
import { installServiceCommand, type ServiceSpec, serviceFile } from "./install-service.ts";
import { AGENT_NODE_FLAGS } from "./node-flags.ts";
import { statusCommand } from "./status.ts";

const USAGE = `photo-relay — camera folder → S3, crash-safe

Usage:
  photo-relay agent [--config FILE] [--tether] [--plain]   watch, spool and upload (live view on a terminal)
  photo-relay status [--config FILE] [--json]              what the agent is doing / what waits in the spool
  photo-relay doctor [--config FILE] [--json]              check config, folders, disk, S3, gphoto2 and camera
  photo-relay install-service [--config FILE] [--platform linux|windows] [--user NAME] [--output FILE|-]
  photo-relay --version

The config file defaults to ./${DEFAULT_CONFIG}. The single executable writes the service
definition next to itself (--output - prints it).
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
      version: { type: "boolean", short: "v", default: false },
    },
  });
  const [command] = positionals;
  if (values.version) {
    process.stdout.write(`${versionLine()}\n`);
    return 0;
  }
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
      const spec: ServiceSpec = {
        platform,
        command: isSea() ? [process.execPath] : [process.execPath, ...AGENT_NODE_FLAGS, BIN],
        config: config.path,
        workingDir: dirname(config.path),
        logDir: join(config.spoolDir, "logs"),
        ...(values.user && { user: values.user }),
      };
      return installServiceCommand(spec, serviceFile(spec, isSea(), values.output), process.stdout);
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/** `bin/photo-relay.ts`, when running from the source tree (the single executable has no such file). */
const BIN = isSea() ? "" : resolve(import.meta.dirname, "../../bin/photo-relay.ts");

function versionLine(): string {
  const build = isSea() ? "single executable" : "from source";
  const flags = AGENT_NODE_FLAGS.filter((flag) => process.execArgv.includes(flag)).map((flag) => `, ${flag}`);
  return `photo-relay ${agentPackage.version} (Node.js ${process.version}, ${process.platform}-${process.arch}, ${build}${flags.join("")})`;
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
