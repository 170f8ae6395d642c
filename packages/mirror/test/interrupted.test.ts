import { stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTransport, type Transport } from "../src/index.ts";
import { serverFolder } from "./conformance.ts";
import { type SshdServer, startSshd } from "./servers/sshd.ts";
import { startVsftpd, type VsftpdServer } from "./servers/vsftpd.ts";

let ftp: VsftpdServer;
let ssh: SshdServer;
beforeAll(async () => {
  [ftp, ssh] = await Promise.all([startVsftpd(), startSshd()]);
});
afterAll(() => Promise.all([ftp?.stop(), ssh?.stop()]));

const BIG = Buffer.alloc(64 * 1024 * 1024, 3);

/** Resolves once the server holds part of the temporary file (polling its folder, no fixed sleep). */
async function partialAppears(path: string, upload: Promise<unknown>): Promise<void> {
  let settled = false;
  upload.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    if (size > 0) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`the upload ended before ${path} appeared`);
}

async function killMidTransfer(
  transport: Transport,
  server: { root: string; killSessions(): Promise<void> },
) {
  const upload = transport.put(BIG, "cut/big.bin");
  upload.catch(() => undefined);
  await partialAppears(join(server.root, "cut/.big.bin.partial"), upload);
  await server.killSessions();
  const error = await upload.catch((e: unknown) => e);
  expect(error).toMatchObject({ name: "TransportError", retryable: true });
  const files = serverFolder(server.root);
  expect(await files.list("cut")).not.toContain("big.bin");

  expect(await transport.put(BIG, "cut/big.bin")).toEqual({ bytes: BIG.length });
  expect(await files.list("cut")).toEqual(["big.bin"]);
}

describe("mirror: connection killed mid-transfer", () => {
  it("ftps leaves no file at the final name, and no partial file after the retry", async () => {
    const { host, port, user, password } = ftp;
    const transport = createTransport({ type: "ftps", host, port, user, password, ca: ftp.certificate.pem });
    try {
      await killMidTransfer(transport, ftp);
    } finally {
      await transport.close();
    }
  });

  it("sftp leaves no file at the final name, and no partial file after the retry", async () => {
    const { host, port, user, password, hostKeyFingerprint, root } = ssh;
    const transport = createTransport({ type: "sftp", host, port, user, password, hostKeyFingerprint, root });
    try {
      await killMidTransfer(transport, ssh);
    } finally {
      await transport.close();
    }
  });
});
