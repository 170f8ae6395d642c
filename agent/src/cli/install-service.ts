/**
 * `photo-relay install-service`: a systemd unit on Linux, a WinSW service definition on Windows
 * (restarts that never give up; node-windows stops after 3 crashes in 60 s: agent/README.md, "Service").
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";

export interface ServiceSpec {
  platform: "linux" | "windows";
  node: string;
  bin: string;
  config: string;
  workingDir: string;
  user?: string;
}

export function systemdUnit(spec: ServiceSpec): string {
  return `[Unit]
Description=photo-relay edge agent (camera folder → S3)
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=${spec.node} ${spec.bin} agent --config ${spec.config}
WorkingDirectory=${spec.workingDir}
${spec.user ? `User=${spec.user}\n` : ""}Restart=always
RestartSec=5
# SIGTERM lets the agent finish writing its journal; everything else resumes from it.
KillSignal=SIGTERM
TimeoutStopSec=30
Environment=NODE_ENV=production

[Install]
WantedBy=multi-user.target
`;
}

export function winswXml(spec: ServiceSpec): string {
  const esc = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll('"', "&quot;");
  return `<service>
  <id>photo-relay-agent</id>
  <name>photo-relay agent</name>
  <description>photo-relay edge agent (camera folder to S3)</description>
  <executable>${esc(spec.node)}</executable>
  <arguments>"${esc(spec.bin)}" agent --config "${esc(spec.config)}"</arguments>
  <workingdirectory>${esc(spec.workingDir)}</workingdirectory>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <!-- restart forever; the journal makes every restart safe -->
  <onfailure action="restart" delay="5 sec"/>
  <onfailure action="restart" delay="30 sec"/>
  <onfailure action="restart" delay="60 sec"/>
  <resetfailure>1 hour</resetfailure>
  <stoptimeout>30 sec</stoptimeout>
  <log mode="roll-by-size"><sizeThreshold>10240</sizeThreshold><keepFiles>5</keepFiles></log>
</service>
`;
}

/** Writes (or prints, without `output`) the service definition and the commands that install it. */
export async function installServiceCommand(
  spec: ServiceSpec,
  output: string | undefined,
  out: NodeJS.WriteStream,
): Promise<number> {
  const text = spec.platform === "linux" ? systemdUnit(spec) : winswXml(spec);
  if (!output) {
    out.write(text);
    return 0;
  }
  await writeFile(resolve(output), text);
  out.write(
    spec.platform === "linux"
      ? `wrote ${output}\n  sudo cp ${output} /etc/systemd/system/photo-relay-agent.service\n  sudo systemctl daemon-reload && sudo systemctl enable --now photo-relay-agent\n`
      : `wrote ${output}\n  put WinSW-x64.exe next to it as photo-relay-agent.exe, then: photo-relay-agent.exe install && photo-relay-agent.exe start\n  (NSSM works too: nssm install photo-relay-agent "${spec.node}" "${spec.bin}" agent --config "${spec.config}")\n`,
  );
  return 0;
}
