/**
 * A real OpenSSH sshd for SFTP tests, everything in a temp folder: its own host key, a client key,
 * an SFTP-only user whose sessions start in `root`. Started in the foreground (-D -e) on a random
 * loopback port. See research/local-servers.md §4 (no chroot under /tmp; StrictModes off).
 */
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sshFingerprint } from "../../src/transports/sftp.ts";
import { freePort, run, startDaemon } from "./daemon.ts";
import { ensureSystemSetup, SFTP_USER, TEST_PASSWORD, userIds } from "./system.ts";

export interface SshdServer {
  host: "127.0.0.1";
  port: number;
  user: string;
  password: string;
  /** OpenSSH private key text whose public half is authorised. */
  privateKey: string;
  privateKeyFile: string;
  /** The server's host key, "SHA256:…" as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** The host key line ("ssh-ed25519 AAAA…"), for an OpenSSH known_hosts file. */
  hostPublicKey: string;
  /** Absolute folder where sessions start; the user may write there. */
  root: string;
  /** The daemon's own PID (the soak's last-resort kill when its process is ended from outside). */
  pid: number;
  killSessions(): Promise<void>;
  stop(): Promise<void>;
}

/** `umask`: the sessions' file mode mask (internal-sftp -u), e.g. "000" for a folder shared with another user. */
export async function startSshd(options: { umask?: string } = {}): Promise<SshdServer> {
  await ensureSystemSetup();
  const dir = await mkdtemp(join(tmpdir(), "photo-relay-sshd-"));
  await chmod(dir, 0o755); // the user's session process must reach `root`
  const root = join(dir, "root");
  await mkdir(root);
  const { uid, gid } = await userIds(SFTP_USER);
  await chown(root, uid, gid);
  const hostKey = join(dir, "ssh_host_ed25519_key");
  const clientKey = join(dir, "client_ed25519");
  await Promise.all([keygen(hostKey, "photo-relay-test-host"), keygen(clientKey, "photo-relay-test-client")]);
  const authorizedKeys = join(dir, "authorized_keys");
  await writeFile(authorizedKeys, await readFile(`${clientKey}.pub`));
  const port = await freePort();
  const config = join(dir, "sshd_config");
  await writeFile(
    config,
    `Port ${port}
ListenAddress 127.0.0.1
HostKey ${hostKey}
PidFile none
AuthorizedKeysFile ${authorizedKeys}
# The key file's path goes through /tmp (mode 1777), which StrictModes refuses.
StrictModes no
UsePAM no
PasswordAuthentication yes
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers ${SFTP_USER}
Subsystem sftp internal-sftp
LogLevel VERBOSE
Match User ${SFTP_USER}
  # No ChrootDirectory: every component of its path must be root-owned and not world-writable.
  ForceCommand internal-sftp -d ${root}${options.umask ? ` -u ${options.umask}` : ""}
  AllowTcpForwarding no
  X11Forwarding no
  PermitTTY no
`,
  );
  const daemon = await startDaemon("/usr/sbin/sshd", ["-D", "-e", "-f", config], port, { banner: "SSH-2.0" });
  const hostPublicKey = (await readFile(`${hostKey}.pub`, "utf8")).split(" ").slice(0, 2).join(" ");
  return {
    host: "127.0.0.1",
    port,
    user: SFTP_USER,
    password: TEST_PASSWORD,
    privateKey: await readFile(clientKey, "utf8"),
    privateKeyFile: clientKey,
    hostKeyFingerprint: sshFingerprint(Buffer.from(hostPublicKey.split(" ")[1] ?? "", "base64")),
    hostPublicKey,
    root,
    pid: daemon.pid,
    killSessions: daemon.killSessions,
    stop: async () => {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function keygen(file: string, comment: string): Promise<void> {
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
}
