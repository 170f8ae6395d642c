/**
 * Mirror throughput: 20 files × 20 MiB through our FTPS and SFTP transports (one connection for the
 * batch), side by side with lftp and curl (FTPS) and OpenSSH sftp in batch mode, against the same
 * vsftpd (require_ssl_reuse=YES) and sshd started here on loopback. Unit: MiB/s, higher is better.
 * Run alone: `node bench/mirror.ts`.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createTransport } from "@photo-relay/mirror";
import { type SshdServer, startSshd } from "../packages/mirror/test/servers/sshd.ts";
import { startVsftpd, type VsftpdServer } from "../packages/mirror/test/servers/vsftpd.ts";
import type { BenchResult } from "./result.ts";

const FILES = 20;
const SIZE = 20 * 1024 * 1024;
const sh = promisify(execFile);

/** Seconds `fn` takes, after checking the server ended up with every file at full size. */
async function timed(fn: () => Promise<unknown>, serverDir: string): Promise<number> {
  await rm(serverDir, { recursive: true, force: true });
  const start = performance.now();
  await fn();
  const seconds = (performance.now() - start) / 1000;
  const names = await readdir(serverDir);
  const sizes = await Promise.all(names.map((n) => stat(join(serverDir, n)).then((s) => s.size)));
  if (names.length !== FILES || sizes.some((s) => s !== SIZE)) {
    throw new Error(`${serverDir}: expected ${FILES} files of ${SIZE} bytes, found ${names.length}`);
  }
  return seconds;
}

const mibPerSecond = (seconds: number) => Math.round(((FILES * SIZE) / 1024 / 1024 / seconds) * 10) / 10;

function result(name: string, ours: number, tool: string, theirs: number): BenchResult {
  const [value, reference] = [mibPerSecond(ours), mibPerSecond(theirs)];
  return {
    name,
    unit: "MiB/s",
    value,
    reference: { tool, value: reference },
    ratio: Math.round((value / reference) * 100) / 100,
    higherIsBetter: true,
  };
}

async function ours(options: object, files: string[], folder: string): Promise<void> {
  const transport = createTransport(options);
  try {
    for (const file of files) await transport.put(file, `${folder}/${file.slice(file.lastIndexOf("/") + 1)}`);
  } finally {
    await transport.close();
  }
}

async function benchFtps(ftp: VsftpdServer, files: string[]): Promise<BenchResult[]> {
  const { host, port, user, password, root } = ftp;
  const options = { type: "ftps", host, port, user, password, ca: ftp.certificate.pem };
  const mine = await timed(() => ours(options, files, "ours"), join(root, "ours"));
  const lftpScript = [
    "set ftp:ssl-force true",
    "set ftp:ssl-protect-data true",
    `set ssl:ca-file ${ftp.certificate.certFile}`,
    "set ssl:verify-certificate yes",
    "set xfer:clobber on",
    "mkdir -p lftp",
    `mput -O lftp ${files.join(" ")}`,
    "bye",
  ].join("; ");
  const lftp = await timed(
    () => sh("lftp", ["-u", `${user},${password}`, "-e", lftpScript, `ftp://${host}:${port}`]),
    join(root, "lftp"),
  );
  const curl = await timed(
    () =>
      sh("curl", [
        ...["-sS", "--ssl-reqd", "--cacert", ftp.certificate.certFile, "--user", `${user}:${password}`],
        ...["--ftp-create-dirs", "-T", `{${files.join(",")}}`, `ftp://${host}:${port}/curl/`],
      ]),
    join(root, "curl"),
  );
  const [lftpVersion, curlVersion] = await Promise.all([
    version("lftp", "--version"),
    version("curl", "--version"),
  ]);
  return [
    result(`mirror ftps ${FILES}×20MiB vs lftp`, mine, lftpVersion, lftp),
    result(`mirror ftps ${FILES}×20MiB vs curl`, mine, curlVersion, curl),
  ];
}

async function benchSftp(ssh: SshdServer, dir: string, files: string[]): Promise<BenchResult> {
  const { host, port, user, hostKeyFingerprint, root, privateKey } = ssh;
  const options = { type: "sftp", host, port, user, hostKeyFingerprint, root, privateKey };
  const mine = await timed(() => ours(options, files, "ours"), join(root, "ours"));
  const knownHosts = join(dir, "known_hosts");
  await writeFile(knownHosts, `[${host}]:${port} ${ssh.hostPublicKey}\n`);
  const batch = join(dir, "sftp-batch");
  await writeFile(batch, `mkdir openssh\n${files.map((f) => `put ${f} openssh/`).join("\n")}\n`);
  const openssh = await timed(
    () =>
      sh("sftp", [
        ...["-b", batch, "-P", String(port), "-i", ssh.privateKeyFile],
        ...["-o", `UserKnownHostsFile=${knownHosts}`, "-o", "StrictHostKeyChecking=yes", `${user}@${host}`],
      ]),
    join(root, "openssh"),
  );
  return result(
    `mirror sftp ${FILES}×20MiB vs openssh sftp`,
    mine,
    (await version("ssh", "-V")).replace("ssh", "openssh sftp"),
    openssh,
  );
}

async function version(tool: string, flag: string): Promise<string> {
  const { stdout, stderr } = await sh(tool, [flag]).catch(() => ({ stdout: "", stderr: "" }));
  const number = `${stdout}${stderr}`.match(/\d+\.\d+(\.\d+)?(p\d+)?/)?.[0];
  return number ? `${tool} ${number}` : tool;
}

export async function run(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), "photo-relay-bench-mirror-"));
  const [ftp, ssh] = await Promise.all([startVsftpd(), startSshd()]);
  try {
    await mkdir(join(dir, "files"));
    const files: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const file = join(dir, "files", `photo-${String(i).padStart(2, "0")}.bin`);
      await writeFile(file, randomBytes(SIZE));
      files.push(file);
    }
    return [...(await benchFtps(ftp, files)), await benchSftp(ssh, dir, files)];
  } finally {
    await Promise.all([ftp.stop(), ssh.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) console.table(await run());
