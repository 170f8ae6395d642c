/**
 * Mirror throughput: 20 files × 20 MiB through our FTPS and SFTP transports (one connection for the
 * batch), side by side with lftp and curl (FTPS) and OpenSSH sftp in batch mode, against the same
 * vsftpd (require_ssl_reuse=YES) and sshd started here on loopback. Unit: MiB/s, higher is better.
 * The tools take turns, round after round (MIRROR_BENCH_ROUNDS, default 5): this 2-core box is
 * shared, so single runs vary by tens of percent. Figures are medians; each round is printed.
 * Run alone: `node bench/mirror.ts`.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { countBuffersInHeapLimit } from "@photo-relay/core/v8-gc";
import { createTransport } from "@photo-relay/mirror";
import { type SshdServer, startSshd } from "../packages/mirror/test/servers/sshd.ts";
import { startVsftpd, type VsftpdServer } from "../packages/mirror/test/servers/vsftpd.ts";
import type { BenchResult } from "./result.ts";

// Our transports run in the mirror function's process, which sets this first (functions/src/mirror.ts).
countBuffersInHeapLimit();

const FILES = 20;
const SIZE = 20 * 1024 * 1024;
const ROUNDS = Number(process.env.MIRROR_BENCH_ROUNDS ?? 5);
const sh = promisify(execFile);

/** One way of sending the batch: ours or a reference tool, into its own server folder. */
interface Contender {
  /** How results name it, e.g. "lftp"; `tool` adds the version. */
  name: string;
  tool: string;
  folder: string;
  send(): Promise<unknown>;
}

/** Seconds `send` takes, after checking the server ended up with every file at full size. */
async function timed(contender: Contender): Promise<number> {
  await rm(contender.folder, { recursive: true, force: true });
  const start = performance.now();
  await contender.send();
  const seconds = (performance.now() - start) / 1000;
  const names = await readdir(contender.folder);
  const sizes = await Promise.all(names.map((n) => stat(join(contender.folder, n)).then((s) => s.size)));
  if (names.length !== FILES || sizes.some((s) => s !== SIZE)) {
    throw new Error(`${contender.folder}: expected ${FILES} files of ${SIZE} bytes, found ${names.length}`);
  }
  return seconds;
}

const mibPerSecond = (seconds: number) => Math.round(((FILES * SIZE) / 1024 / 1024 / seconds) * 10) / 10;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/** Rounds of `ours` against each reference, in turn; one result per reference, from the medians. */
async function compare(label: string, ours: Contender, references: Contender[]): Promise<BenchResult[]> {
  const seconds = new Map<Contender, number[]>([ours, ...references].map((c) => [c, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const contender of [ours, ...references]) seconds.get(contender)?.push(await timed(contender));
    const line = [ours, ...references].map((c) => `${c.tool} ${mibPerSecond(seconds.get(c)?.at(-1) ?? 0)}`);
    process.stdout.write(`${label} round ${round}: ${line.join(", ")} MiB/s\n`);
  }
  const mine = median(seconds.get(ours) ?? []);
  return references.map((reference) => {
    const theirs = seconds.get(reference) ?? [];
    const ratios = theirs.map((t, i) => t / (seconds.get(ours)?.[i] ?? t));
    process.stdout.write(
      `${label} vs ${reference.tool}: per-round ratios ${ratios.map((r) => r.toFixed(2)).join(" ")}, median ${median(ratios).toFixed(2)}\n`,
    );
    const [value, referenceValue] = [mibPerSecond(mine), mibPerSecond(median(theirs))];
    return {
      name: `mirror ${label} ${FILES}×20MiB vs ${reference.name}`,
      unit: "MiB/s",
      value,
      reference: { tool: `${reference.tool} (median of ${ROUNDS})`, value: referenceValue },
      ratio: Math.round((value / referenceValue) * 100) / 100,
      higherIsBetter: true,
    };
  });
}

function ours(options: object, files: string[], folder: string): Contender["send"] {
  return async () => {
    const transport = createTransport(options);
    try {
      for (const file of files)
        await transport.put(file, `${folder}/${file.slice(file.lastIndexOf("/") + 1)}`);
    } finally {
      await transport.close();
    }
  };
}

async function benchFtps(ftp: VsftpdServer, files: string[]): Promise<BenchResult[]> {
  const { host, port, user, password, root } = ftp;
  const options = { type: "ftps", host, port, user, password, ca: ftp.certificate.pem };
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
  const [lftp, curl] = await Promise.all([version("lftp", "--version"), version("curl", "--version")]);
  return compare(
    "ftps",
    { name: "ours", tool: "ours", folder: join(root, "ours"), send: ours(options, files, "ours") },
    [
      {
        name: "lftp",
        tool: lftp,
        folder: join(root, "lftp"),
        send: () => sh("lftp", ["-u", `${user},${password}`, "-e", lftpScript, `ftp://${host}:${port}`]),
      },
      {
        name: "curl",
        tool: curl,
        folder: join(root, "curl"),
        send: () =>
          sh("curl", [
            ...["-sS", "--ssl-reqd", "--cacert", ftp.certificate.certFile, "--user", `${user}:${password}`],
            ...["--ftp-create-dirs", "-T", `{${files.join(",")}}`, `ftp://${host}:${port}/curl/`],
          ]),
      },
    ],
  );
}

async function benchSftp(ssh: SshdServer, dir: string, files: string[]): Promise<BenchResult[]> {
  const { host, port, user, hostKeyFingerprint, root, privateKey } = ssh;
  const options = { type: "sftp", host, port, user, hostKeyFingerprint, root, privateKey };
  const knownHosts = join(dir, "known_hosts");
  await writeFile(knownHosts, `[${host}]:${port} ${ssh.hostPublicKey}\n`);
  const batch = join(dir, "sftp-batch");
  await writeFile(batch, `mkdir openssh\n${files.map((f) => `put ${f} openssh/`).join("\n")}\n`);
  // Without ssh2's native binding, AES-GCM runs through node:crypto per packet (see the README).
  const { bindingAvailable } = createRequire(import.meta.url)("ssh2/lib/protocol/crypto.js");
  process.stdout.write(`ssh2 native crypto binding: ${bindingAvailable ? "loaded" : "MISSING"}\n`);
  const openssh = (await version("ssh", "-V")).replace("ssh", "openssh sftp");
  return compare(
    "sftp",
    { name: "ours", tool: "ours", folder: join(root, "ours"), send: ours(options, files, "ours") },
    [
      {
        name: "openssh sftp",
        tool: openssh,
        folder: join(root, "openssh"),
        send: () =>
          sh("sftp", [
            ...["-b", batch, "-P", String(port), "-i", ssh.privateKeyFile],
            ...[
              "-o",
              `UserKnownHostsFile=${knownHosts}`,
              "-o",
              "StrictHostKeyChecking=yes",
              `${user}@${host}`,
            ],
          ]),
      },
    ],
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
    return [...(await benchFtps(ftp, files)), ...(await benchSftp(ssh, dir, files))];
  } finally {
    await Promise.all([ftp.stop(), ssh.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) console.table(await run());
