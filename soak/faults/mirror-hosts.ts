/**
 * The web host with two doors: a real vsftpd (FTPS) and a real OpenSSH (SFTP) onto one folder,
 * each behind a proxy the soak can take down, configured as one mirror target (FTPS first, SFTP
 * when FTPS fails), as a hosting package offers both. The mirror tests' servers (packages/mirror/test/servers) run them.
 */
import { chmod } from "node:fs/promises";
import { type SshdServer, startSshd } from "../../packages/mirror/test/servers/sshd.ts";
import { startVsftpd, type VsftpdServer } from "../../packages/mirror/test/servers/vsftpd.ts";
import { lowerDaemon } from "../load/other-machines.ts";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.ts";

export interface MirrorHosts {
  /** `mirror.targets` for the stack's settings. */
  targets: object[];
  /** The host's folder (both doors write it), where the checks look for every web rendition. */
  root: string;
  /** Passwords, for the secret grep. */
  secrets: string[];
  /** SIGKILLs both daemons: the last resort when `stop` overran, or the soak itself is ended. */
  kill(): void;
  setDown(host: "ftps" | "sftp", down: boolean): void;
  /** Connections each door refused so far. */
  refused(): { ftps: number; sftp: number };
  stop(): Promise<void>;
}

export async function startMirrorHosts(): Promise<MirrorHosts> {
  const [ftp, ssh]: [VsftpdServer, SshdServer] = await Promise.all([
    startVsftpd({ settings: { local_umask: "000" } }),
    startSshd({ umask: "000" }),
  ]);
  // The user's web host is another machine: its daemons (and the sessions they fork) run at the
  // other machines' priority (other-machines.ts).
  for (const pid of [ftp.pid, ssh.pid]) lowerDaemon(pid);
  const proxies: Record<"ftps" | "sftp", TcpProxy> = {
    ftps: await startTcpProxy(ftp.port),
    sftp: await startTcpProxy(ssh.port),
  };
  // One folder behind both doors: FTPS's root, writable by the SFTP user too; both daemons make
  // files and folders with umask 000, so each user may write what the other made.
  await chmod(ftp.root, 0o777);
  const host = "127.0.0.1";
  const targets = [
    {
      name: "web",
      transports: [
        {
          type: "ftps",
          host,
          port: proxies.ftps.port,
          user: ftp.user,
          password: ftp.password,
          ca: ftp.certificate.pem,
        },
        {
          type: "sftp",
          host,
          port: proxies.sftp.port,
          user: ssh.user,
          password: ssh.password,
          hostKeyFingerprint: ssh.hostKeyFingerprint,
          root: ftp.root,
          timeoutMs: 10_000,
        },
      ],
      pathTemplate: "/{yyyy}/{mm}/",
      publicBaseUrl: "https://photos.example.com/soak/",
    },
  ];
  return {
    targets,
    root: ftp.root,
    secrets: [ftp.password, ssh.password],
    kill: () => {
      for (const pid of [ftp.pid, ssh.pid]) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {} // already gone
      }
    },
    setDown: (name, down) => proxies[name].setDown(down),
    refused: () => ({ ftps: proxies.ftps.refused, sftp: proxies.sftp.refused }),
    async stop() {
      await Promise.all([proxies.ftps.close(), proxies.sftp.close()]);
      await Promise.all([ftp.stop(), ssh.stop()]);
    },
  };
}
