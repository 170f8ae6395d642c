/**
 * `photo-relay install-service`: a systemd unit on Linux, a WinSW service definition on Windows
 * (restarts that never give up; node-windows stops after 3 crashes in 60 s: agent/README.md, "Service").
 * The service runs the program that wrote it: the single executable itself, or Node with
 * `bin/photo-relay.ts` when run from the source tree.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";

export const SERVICE_ID = "photo-relay-agent";

export interface ServiceSpec {
  platform: "linux" | "windows";
  /** The program and its leading arguments: `[exe]`, or `[node, bin/photo-relay.ts]`. */
  command: [string, ...string[]];
  config: string;
  workingDir: string;
  /** Where WinSW writes the wrapper's log and the agent's output (the data folder's `logs/`). */
  logDir: string;
  user?: string;
}

/** systemd's own quoting: a word with blanks or quotes in double quotes; `%` is a specifier there. */
const systemdWord = (word: string) => {
  const escaped = word.replaceAll("%", "%%");
  return /[\s"'\\]/.test(escaped) ? `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"` : escaped;
};

export function systemdUnit(spec: ServiceSpec): string {
  const exec = [...spec.command, "agent", "--config", spec.config].map(systemdWord).join(" ");
  return `[Unit]
Description=photo-relay edge agent (camera folder → S3)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${exec}
WorkingDirectory=${systemdWord(spec.workingDir)}
${spec.user ? `User=${spec.user}\n` : ""}Restart=always
RestartSec=5
# SIGTERM lets the agent finish writing its journal; everything else resumes from it.
KillSignal=SIGTERM
TimeoutStopSec=30
Environment=NODE_ENV=production
# The single executable unpacks its inotify binding (koffi) here: /var/cache/photo-relay.
CacheDirectory=photo-relay

[Install]
WantedBy=multi-user.target
`;
}

export function winswXml(spec: ServiceSpec): string {
  const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll('"', "&quot;");
  const [program, ...leading] = spec.command;
  const args = [...leading.map((a) => `"${esc(a)}"`), "agent", "--config", `"${esc(spec.config)}"`];
  return `<service>
  <id>${SERVICE_ID}</id>
  <name>photo-relay agent</name>
  <description>photo-relay edge agent (camera folder to S3)</description>
  <executable>${esc(program)}</executable>
  <arguments>${args.join(" ")}</arguments>
  <workingdirectory>${esc(spec.workingDir)}</workingdirectory>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <!-- restart forever; the journal makes every restart safe -->
  <onfailure action="restart" delay="5 sec"/>
  <onfailure action="restart" delay="30 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 hour</resetfailure>
  <!-- WinSW sends Ctrl+C first; the agent stops at a journal boundary -->
  <stoptimeout>30 sec</stoptimeout>
  <logpath>${esc(spec.logDir)}</logpath>
  <log mode="roll-by-size"><sizeThreshold>10240</sizeThreshold><keepFiles>5</keepFiles></log>
</service>
`;
}

/**
 * Where the definition goes without `--output`: next to the single executable (the WinSW wrapper
 * must sit beside its XML under the same name); printed when running from source. `-` prints.
 */
export function serviceFile(spec: ServiceSpec, sea: boolean, output?: string): string | undefined {
  if (output === "-") return undefined;
  if (output) return resolve(output);
  if (!sea) return undefined;
  return join(dirname(spec.command[0]), `${SERVICE_ID}${spec.platform === "linux" ? ".service" : ".xml"}`);
}

/** Writes (or prints) the service definition and the commands that install it. */
export async function installServiceCommand(
  spec: ServiceSpec,
  file: string | undefined,
  out: NodeJS.WritableStream,
): Promise<number> {
  const text = spec.platform === "linux" ? systemdUnit(spec) : winswXml(spec);
  if (!file) {
    out.write(text);
    return 0;
  }
  await writeFile(file, text);
  if (spec.platform === "windows") await mkdir(spec.logDir, { recursive: true }); // WinSW logs there from its start
  // WinSW 2 reads the XML named like the wrapper itself.
  const wrapper = `${file.replace(/\.xml$/i, "")}.exe`;
  out.write(
    spec.platform === "linux"
      ? `wrote ${file}\n  sudo cp ${file} /etc/systemd/system/${SERVICE_ID}.service\n  sudo systemctl daemon-reload && sudo systemctl enable --now ${SERVICE_ID}\n  logs: journalctl -u ${SERVICE_ID}\n`
      : `wrote ${file}\n  save WinSW-x64.exe (v2.12) beside it as ${wrapper}, then, as administrator:\n  ${wrapper} install && ${wrapper} start\n  logs: ${spec.logDir}\n`,
  );
  return 0;
}
