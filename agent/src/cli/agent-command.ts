/** `photo-relay agent`: the engine with a live view (or plain event lines), tethering, and a clean stop on SIGINT/SIGTERM. */
import { resolve } from "node:path";
import { createLogger } from "@photo-relay/core/edge";
import { startAgent, startTether } from "../index.ts";
import { type AgentConfig, agentOptions, maskSecrets } from "./config.ts";
import { startLiveView } from "./live-view.ts";
import { RotatingFile, redirectLogger } from "./log-file.ts";
import { createS3Client } from "./s3-client.ts";

export async function agentCommand(
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
  const agent = startAgent(agentOptions(config, client, logger));
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
