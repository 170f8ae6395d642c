/**
 * `photo-relay <command>`: agent (live view), status [--json], doctor [--json], install-service.
 * The process entry `bin/photo-relay.ts` only imports this.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, createLogger, describeError } from "@photo-relay/core";
import { startAgent, startTether } from "../index.ts";
import { type AgentConfig, DEFAULT_CONFIG, loadConfig, maskSecrets } from "./config.ts";
import { doctorCommand } from "./doctor.ts";
import { installServiceCommand } from "./install-service.ts";
import { startLiveView } from "./live-view.ts";
import { RotatingFile, redirectLogger } from "./log-file.ts";
import { createS3Client } from "./s3-client.ts";
import { statusCommand } from "./status.ts";

const USAGE = `photo-relay — camera folder → S3, crash-safe

Usage:
  photo-relay agent [--config FILE] [--tether] [--plain]   watch, spool and upload (live view on a terminal)
  photo-relay status [--config FILE] [--json]              what the agent is doing / what waits in the spool
  photo-relay doctor [--config FILE] [--json]              check config, folders, disk, S3, gphoto2 and camera
  photo-relay install-service [--config FILE] [--platform linux|windows] [--user NAME] [--output FILE]

The config file defaults to ./${DEFAULT_CONFIG}.
`;

async function agentCommand(
  config: AgentConfig,
  flags: { tether: boolean; plain: boolean },
): Promise<number> {
  const logger = createLogger("photo-relay-agent", { level: config.log.level });
  const view = process.stdout.isTTY && !flags.plain;
  const logFile = config.log.file ?? (view ? resolve(config.spoolDir, "logs/agent.log") : undefined);
  if (logFile)
    redirectLogger(logger, new RotatingFile(logFile, config.log.maxMiB * 1024 * 1024, config.log.files));
  logger.info("configuration", { config: maskSecrets(config) });

  const client = createS3Client(config);
  const agent = startAgent({
    inbox: config.inbox,
    spoolDir: config.spoolDir,
    ...(config.processedDir && { processedDir: config.processedDir }),
    archive: config.archive,
    s3: { client, bucket: config.s3.bucket },
    partSizeBytes: Math.round(config.partSizeMiB * 1024 * 1024),
    concurrency: config.concurrency,
    stableMs: config.stableMs,
    scanIntervalMs: config.scanIntervalMs,
    ...(config.include && { include: config.include }),
    ...(config.exclude && { exclude: config.exclude }),
    spoolMinFreeBytes: config.spoolMinFreeMiB * 1024 * 1024,
    retention: {
      ...(config.retention.keepDays !== undefined && { keepDays: config.retention.keepDays }),
      ...(config.retention.minFreeMiB !== undefined && {
        minFreeBytes: config.retention.minFreeMiB * 1024 * 1024,
      }),
    },
    logger,
  });
  let camera: string | undefined;
  const tether =
    flags.tether || config.tether.enabled
      ? startTether({
          gphoto2: config.tether.gphoto2,
          filename: config.tether.filename,
          dir: config.inbox[0] ?? ".",
          workDir: config.spoolDir,
          logger,
          onDownload: (path) => agent.hint(path, true),
          onState: (s) => {
            camera =
              s.state === "tethered"
                ? s.camera
                : s.state === "disconnected"
                  ? "camera disconnected"
                  : s.state;
          },
        })
      : undefined;
  const live = startLiveView(agent, process.stdout, tether ? () => camera : undefined);
  await agent.ready;
  if (!view) process.stdout.write(`agent ready: watching ${config.inbox.join(", ")}\n`);

  await new Promise<void>((resolveStop) => {
    process.once("SIGINT", resolveStop); // NSSM/WinSW send Ctrl-C first
    process.once("SIGTERM", resolveStop);
  });
  live.stop();
  await tether?.stop();
  await agent.stop();
  client.destroy();
  return 0;
}

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
