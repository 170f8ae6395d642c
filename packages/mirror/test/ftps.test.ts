import { afterAll, beforeAll, describe } from "vitest";
import { serverFolder, transportConformance } from "./conformance.ts";
import { startVsftpd, type VsftpdServer } from "./servers/vsftpd.ts";

let server: VsftpdServer;
beforeAll(async () => {
  server = await startVsftpd(); // require_ssl_reuse=YES, TLS 1.2 and 1.3
});
afterAll(() => server?.stop());

const options = (tls: object) => {
  const { host, port, user, password } = server;
  return { type: "ftps", host, port, user, password, ca: server.certificate.pem, ...tls };
};

describe("mirror: ftps, explicit TLS 1.3, session reuse required", () => {
  transportConformance(() => ({ options: options({}), ...serverFolder(server.root) }));
});

describe("mirror: ftps, explicit TLS 1.2, pinned certificate", () => {
  transportConformance(() => ({
    options: options({
      ca: undefined,
      fingerprint: server.certificate.fingerprint,
      maxTlsVersion: "TLSv1.2",
    }),
    ...serverFolder(server.root),
  }));
});
