import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MirrorError, type MirrorTarget, openSession } from "../src/index.ts";
import { type SshdServer, startSshd } from "./servers/sshd.ts";
import { makeCertificate, startVsftpd, type VsftpdServer } from "./servers/vsftpd.ts";

let ftp: VsftpdServer;
let ssh: SshdServer;
let dir: string;
beforeAll(async () => {
  [ftp, ssh] = await Promise.all([startVsftpd(), startSshd()]);
  dir = await mkdtemp(join(tmpdir(), "photo-relay-fallback-"));
});
afterAll(async () => {
  await Promise.all([ftp?.stop(), ssh?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

const ftps = (extra: object = {}) => {
  const { host, port, user, password } = ftp;
  return { type: "ftps", host, port, user, password, ca: ftp.certificate.pem, ...extra };
};
const sftp = (extra: object = {}) => {
  const { host, port, user, password, hostKeyFingerprint, root } = ssh;
  return { type: "sftp", host, port, user, password, hostKeyFingerprint, root, ...extra };
};
const target = (transports: MirrorTarget["transports"]): MirrorTarget => ({
  name: "web",
  transports,
  pathTemplate: "/{yyyy}/{mm}/",
  publicBaseUrl: "https://photos.example.com/uploads/",
});
const file = (id: string) => ({
  data: Buffer.from(`jpeg of ${id}`),
  name: `${id}-web.jpg`,
  date: new Date("2026-11-22T10:00:00Z"),
  id,
  rendition: "web",
});

describe("mirror: session fallback (ftps → sftp)", () => {
  it("uses ftps while it works and records the public url", async () => {
    const session = openSession(target([ftps(), sftp()]));
    try {
      const result = await session.put(file("a1"));
      expect(result).toEqual({
        transport: "ftps",
        remotePath: "/2026/11/a1-web.jpg",
        publicUrl: "https://photos.example.com/uploads/2026/11/a1-web.jpg",
        attempts: [{ transport: "ftps" }],
      });
    } finally {
      await session.close();
    }
  });

  it("keeps one ftps connection for the whole batch", async () => {
    const connects = async () => (await readFile(ftp.logFile, "utf8")).split("CONNECT:").length;
    const before = await connects();
    const session = openSession(target([ftps(), sftp()]));
    try {
      for (const id of ["a2", "a3", "a4"]) expect((await session.put(file(id))).transport).toBe("ftps");
    } finally {
      await session.close();
    }
    expect((await connects()) - before).toBe(1);
  });

  it("falls back to sftp when the ftps certificate is not trusted", async () => {
    const stranger = await makeCertificate(dir);
    const session = openSession(target([ftps({ ca: stranger.pem }), sftp()]));
    try {
      const result = await session.put(file("b1"));
      expect(result.transport).toBe("sftp");
      expect(result.attempts[0]).toMatchObject({ transport: "ftps", error: { code: "tls_failed" } });
      expect(result.attempts[0]?.error?.message).toMatch(/self-signed certificate.*`ca`.*`fingerprint`/);
    } finally {
      await session.close();
    }
  });

  it("falls back to sftp when the pinned certificate fingerprint does not match", async () => {
    const stranger = await makeCertificate(dir, "stranger");
    const session = openSession(target([ftps({ ca: undefined, fingerprint: stranger.fingerprint }), sftp()]));
    try {
      const result = await session.put(file("b2"));
      expect(result.transport).toBe("sftp");
      expect(result.attempts[0]?.error).toMatchObject({ code: "tls_failed" });
      expect(result.attempts[0]?.error?.message).toContain("does not match the pinned");
    } finally {
      await session.close();
    }
  });

  it("falls back to sftp when the ftps host does not answer in time", async () => {
    const silent: Server = createServer(() => undefined); // accepts, never greets
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const { port } = silent.address() as { port: number };
    const session = openSession(target([ftps({ port, timeoutMs: 300 }), sftp()]));
    try {
      const result = await session.put(file("c1"));
      expect(result.transport).toBe("sftp");
      expect(result.attempts[0]?.error?.code).toBe("timeout");
    } finally {
      await session.close();
      silent.close();
    }
  });

  it("throws a fatal MirrorError listing every attempt when all transports are misconfigured", async () => {
    const session = openSession(
      target([ftps({ password: "wrong" }), sftp({ hostKeyFingerprint: `SHA256:${"A".repeat(43)}` })]),
    );
    try {
      const error = await session.put(file("d1")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MirrorError);
      expect(error).toMatchObject({
        retryable: false,
        attempts: [
          { transport: "ftps", error: { code: "auth_failed" } },
          { transport: "sftp", error: { code: "host_key_mismatch" } },
        ],
      });
    } finally {
      await session.close();
    }
  });

  it("falls back to sftp when the ftps server is stopped, for every file of the batch", async () => {
    const session = openSession(target([ftps(), sftp()]));
    try {
      await ftp.stop();
      const first = await session.put(file("e1"));
      const second = await session.put(file("e2"));
      for (const result of [first, second]) {
        expect(result.transport).toBe("sftp");
        expect(result.attempts.map((a) => [a.transport, a.error?.code])).toEqual([
          ["ftps", "connect_failed"],
          ["sftp", undefined],
        ]);
      }
    } finally {
      await session.close();
    }
  });

  it("throws a retryable MirrorError when both hosts are down", async () => {
    await ssh.stop();
    const session = openSession(target([ftps(), sftp()]));
    const error = await session.put(file("f1")).catch((e: unknown) => e);
    await session.close();
    expect(error).toBeInstanceOf(MirrorError);
    expect(error).toMatchObject({ retryable: true, code: "mirror_failed" });
    expect((error as MirrorError).attempts.map((a) => a.error?.code)).toEqual([
      "connect_failed",
      "connect_failed",
    ]);
  });
});
