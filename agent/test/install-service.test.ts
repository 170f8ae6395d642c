/** `install-service`'s definitions as text: quoting, the program they run, where they are written. */
import { describe, expect, it } from "vitest";
import { type ServiceSpec, serviceFile, systemdUnit, winswXml } from "../src/cli/install-service.ts";

const exe: ServiceSpec = {
  platform: "linux",
  command: ["/opt/photo relay/photo-relay-linux-x64"],
  config: "/etc/photo-relay/100%.json",
  workingDir: "/etc/photo-relay",
  logDir: "/var/lib/photo-relay/spool/logs",
};

describe("agent: install-service", () => {
  it("quotes systemd words with blanks and doubles the % that systemd reads as a specifier", () => {
    expect(systemdUnit(exe)).toContain(
      'ExecStart="/opt/photo relay/photo-relay-linux-x64" agent --config /etc/photo-relay/100%%.json\n',
    );
    expect(systemdUnit(exe)).toContain("CacheDirectory=photo-relay\n");
    expect(systemdUnit(exe)).not.toContain("User=");
  });

  it("runs the executable itself under WinSW, or node with the script from source, with logs in the data folder", () => {
    const windows = {
      ...exe,
      platform: "windows",
      command: ["C:\\photo-relay\\photo-relay.exe"],
      config: "C:\\photo-relay\\a&b.json",
      logDir: "C:\\photo-relay\\data\\logs",
    } satisfies ServiceSpec;
    const xml = winswXml(windows);
    expect(xml).toContain("<executable>C:\\photo-relay\\photo-relay.exe</executable>");
    expect(xml).toContain('<arguments>agent --config "C:\\photo-relay\\a&amp;b.json"</arguments>');
    expect(xml).toContain("<logpath>C:\\photo-relay\\data\\logs</logpath>");
    const source = winswXml({
      ...windows,
      command: ["C:\\node\\node.exe", "C:\\src\\agent\\bin\\photo-relay.ts"],
    });
    expect(source).toContain("<executable>C:\\node\\node.exe</executable>");
    expect(source).toContain('<arguments>"C:\\src\\agent\\bin\\photo-relay.ts" agent --config');
  });

  it("is written next to the single executable, printed from source or with --output -", () => {
    expect(serviceFile(exe, true)).toBe("/opt/photo relay/photo-relay-agent.service");
    expect(serviceFile({ ...exe, platform: "windows" }, true)).toBe("/opt/photo relay/photo-relay-agent.xml");
    expect(serviceFile(exe, true, "-")).toBeUndefined();
    expect(serviceFile(exe, false)).toBeUndefined();
    expect(serviceFile(exe, false, "/tmp/unit.service")).toBe("/tmp/unit.service");
  });
});
