/**
 * A real vsftpd for FTPS tests, everything in a temp folder: a self-signed certificate, a config
 * with `require_ssl_reuse=YES`, a chroot that maps FTP "/" to `root`. Started in the foreground on a
 * random loopback port. See research/local-servers.md §3 for each setting.
 */
import { X509Certificate } from "node:crypto";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, run, startDaemon } from "./daemon.ts";
import { ensureSystemSetup, FTP_USER, PAM_SERVICE_NAME, TEST_PASSWORD, userIds } from "./system.ts";

export interface Certificate {
  certFile: string;
  keyFile: string;
  pem: string;
  /** SHA-256 fingerprint, "AB:CD:…". */
  fingerprint: string;
}

/** A self-signed certificate (its own CA) for `127.0.0.1` and `localhost`, or for `name`. */
export async function makeCertificate(dir: string, name = "localhost"): Promise<Certificate> {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  const san = name === "localhost" ? "DNS:localhost,IP:127.0.0.1" : `DNS:${name}`;
  await run("openssl", [
    ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
    ...[
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-addext",
      `subjectAltName=${san}`,
    ],
  ]);
  await chmod(keyFile, 0o600);
  const pem = await readFile(certFile, "utf8");
  return { certFile, keyFile, pem, fingerprint: new X509Certificate(pem).fingerprint256 };
}

export interface VsftpdOptions {
  /** Refuse TLS 1.2 (OpenSSL's MinProtocol; vsftpd 3.0.3 has no option for it). */
  tls13Only?: boolean;
  /** TLS from the first byte instead of AUTH TLS. */
  implicit?: boolean;
  /** Present this certificate instead of a fresh one. */
  certificate?: Certificate;
  /** Extra vsftpd.conf lines, e.g. { cmds_denied: "EPSV" }. */
  settings?: Record<string, string>;
}

export interface VsftpdServer {
  host: "127.0.0.1";
  port: number;
  user: string;
  password: string;
  /** Local folder that FTP "/" maps to. */
  root: string;
  certificate: Certificate;
  /** vsftpd's own log: one "CONNECT" line per control connection. */
  logFile: string;
  /** The daemon's own PID (the soak's last-resort kill when its process is ended from outside). */
  pid: number;
  killSessions(): Promise<void>;
  stop(): Promise<void>;
}

export async function startVsftpd(options: VsftpdOptions = {}): Promise<VsftpdServer> {
  await ensureSystemSetup();
  const dir = await mkdtemp(join(tmpdir(), "photo-relay-vsftpd-"));
  await chmod(dir, 0o755); // vsftpd enters local_root as the user, before the chroot
  const root = join(dir, "root");
  await mkdir(root);
  const { uid, gid } = await userIds(FTP_USER);
  await chown(root, uid, gid);
  const certificate = options.certificate ?? (await makeCertificate(dir));
  const port = await freePort();
  const settings: Record<string, string> = {
    listen: "YES",
    listen_ipv6: "NO",
    listen_address: "127.0.0.1",
    listen_port: String(port),
    background: "NO",
    anonymous_enable: "NO",
    local_enable: "YES",
    write_enable: "YES",
    local_umask: "022",
    chroot_local_user: "YES",
    local_root: root,
    // The chroot is the user's writable root folder; vsftpd refuses that unless told otherwise.
    allow_writeable_chroot: "YES",
    secure_chroot_dir: "/var/run/vsftpd/empty",
    pam_service_name: PAM_SERVICE_NAME,
    userlist_enable: "NO",
    pasv_enable: "YES",
    connect_from_port_20: "NO",
    ssl_enable: "YES",
    implicit_ssl: options.implicit ? "YES" : "NO",
    rsa_cert_file: certificate.certFile,
    rsa_private_key_file: certificate.keyFile,
    allow_anon_ssl: "NO",
    force_local_logins_ssl: "YES",
    force_local_data_ssl: "YES",
    ssl_tlsv1: "YES",
    ssl_sslv2: "NO",
    ssl_sslv3: "NO",
    require_ssl_reuse: "YES",
    ssl_ciphers: "HIGH",
    xferlog_enable: "YES",
    vsftpd_log_file: join(dir, "vsftpd.log"),
    syslog_enable: "NO",
    delay_failed_login: "0",
    // Unprivileged containers (CI) often kill the seccomp-sandboxed child: "500 OOPS: child died".
    seccomp_sandbox: "NO",
    ...options.settings,
  };
  const config = join(dir, "vsftpd.conf");
  await writeFile(
    config,
    `${Object.entries(settings)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  const env = { ...process.env };
  if (options.tls13Only) {
    const opensslConf = join(dir, "openssl.cnf");
    await writeFile(opensslConf, OPENSSL_TLS13_ONLY);
    env.OPENSSL_CONF = opensslConf;
  }
  const daemon = await startDaemon("/usr/sbin/vsftpd", [config], port, {
    env,
    ...(!options.implicit && { banner: "220" }),
  });
  return {
    host: "127.0.0.1",
    port,
    user: FTP_USER,
    password: TEST_PASSWORD,
    root,
    certificate,
    logFile: settings.vsftpd_log_file ?? "",
    pid: daemon.pid,
    killSessions: daemon.killSessions,
    stop: async () => {
      await daemon.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const OPENSSL_TLS13_ONLY = `openssl_conf = default_conf
[default_conf]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.3
`;
