import { afterAll, beforeAll, describe } from "vitest";
import { serverFolder, transportConformance } from "./conformance.ts";
import { type SshdServer, startSshd } from "./servers/sshd.ts";

let server: SshdServer;
beforeAll(async () => {
  server = await startSshd();
});
afterAll(() => server?.stop());

const options = (auth: object) => {
  const { host, port, user, hostKeyFingerprint, root } = server;
  return { type: "sftp", host, port, user, hostKeyFingerprint, root, ...auth };
};

describe("mirror: sftp with a password", () => {
  transportConformance(() => ({
    options: options({ password: server.password }),
    ...serverFolder(server.root),
  }));
});

describe("mirror: sftp with a private key", () => {
  transportConformance(() => ({
    options: options({ privateKey: server.privateKey }),
    ...serverFolder(server.root),
  }));
});
